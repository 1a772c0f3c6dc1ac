package io.upcycle.monitor.policy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registry of stop policies by name. Adding a policy means writing one {@link StopPolicy}
 * class with a {@code fromParameters(Map)} factory and registering it here.
 */
public final class StopPolicies {
    private static final Map<String, Function<Map<String, String>, StopPolicy>> FACTORIES = new TreeMap<>(Map.of(
            LearnedFractionPolicy.NAME, LearnedFractionPolicy::fromParameters,
            PlateauPolicy.NAME, PlateauPolicy::fromParameters,
            BudgetPolicy.NAME, BudgetPolicy::fromParameters));

    private StopPolicies() {
    }

    /** The policy called {@code name}, configured by {@code parameters} (missing ones default). */
    public static StopPolicy create(String name, Map<String, String> parameters) {
        Function<Map<String, String>, StopPolicy> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown stop policy '" + name + "'; known: " + FACTORIES.keySet());
        }
        return factory.apply(parameters);
    }

    /** The default policy with its default parameters. */
    public static StopPolicy defaultPolicy() {
        return create(LearnedFractionPolicy.NAME, Map.of());
    }

    /** Names of every registered policy, sorted. */
    public static Set<String> names() {
        return FACTORIES.keySet();
    }
}
