package io.upcycle.merger;

import io.upcycle.model.checkpoint.CheckpointStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the optional configured plan from the {@code merger.plan.*} keys of {@link MergerConfig},
 * naming the key of any bad value: none when {@code merger.plan.id} is empty; otherwise its runs
 * and base are required, and its methods, minimum runs and timeout are checked.
 */
final class ConfiguredPlan {

    private ConfiguredPlan() {
    }

    static Optional<PlanSpec> from(Map<String, String> values) {
        List<String> methods = methods(values);
        String planId = MergerConfig.PLAN_ID.value(values);
        if (planId.isEmpty()) {
            return Optional.empty();
        }
        MergerConfig.matching(MergerConfig.PLAN_ID, values, MergerConfig.PLAN_NAME, "must be letters, digits, '.', '_' or '-'");
        List<String> runs = list(required(MergerConfig.PLAN_RUNS, values));
        if (runs.isEmpty() || runs.stream().distinct().count() != runs.size()) {
            throw MergerConfig.PLAN_RUNS.invalid(MergerConfig.PLAN_RUNS.value(values), "needs at least one run id and no duplicates");
        }
        String baseUri = required(MergerConfig.BASE_URI, values);
        try {
            CheckpointStore.toPath(baseUri);
        } catch (RuntimeException e) {
            throw MergerConfig.BASE_URI.invalid(baseUri, e.getMessage());
        }
        required(MergerConfig.BASE_SHA256, values);
        String baseSha = MergerConfig.matching(MergerConfig.BASE_SHA256, values, MergerConfig.SHA256, "must be 64 lower-case hex digits");
        long minRuns = MergerConfig.longValue(MergerConfig.PLAN_MIN_RUNS, values);
        if (minRuns < 0 || minRuns > runs.size()) {
            throw MergerConfig.PLAN_MIN_RUNS.invalid(Long.toString(minRuns), "must be 0 (all runs) to " + runs.size()
                    + " (the runs of merger.plan.runs)");
        }
        long timeoutMs = MergerConfig.longValue(MergerConfig.PLAN_TIMEOUT_MS, values);
        if (timeoutMs < 0) {
            throw MergerConfig.PLAN_TIMEOUT_MS.invalid(Long.toString(timeoutMs), "must be >= 0");
        }
        return Optional.of(new PlanSpec(planId, runs, methods, (int) minRuns, Duration.ofMillis(timeoutMs), baseUri, baseSha,
                Map.of()));
    }

    /** {@code merger.plan.methods}, or {@code merger.plan.method} alone; each must be a known method. */
    static List<String> methods(Map<String, String> values) {
        String many = MergerConfig.PLAN_METHODS.value(values);
        if (!many.isEmpty() && values.containsKey(MergerConfig.PLAN_METHOD.name())) {
            throw MergerConfig.PLAN_METHODS.invalid(many, "give either merger.plan.methods or merger.plan.method, not both");
        }
        ConfigKey key = many.isEmpty() ? MergerConfig.PLAN_METHOD : MergerConfig.PLAN_METHODS;
        List<String> methods = many.isEmpty() ? List.of(MergerConfig.PLAN_METHOD.value(values)) : list(many);
        if (methods.isEmpty() || methods.stream().distinct().count() != methods.size()) {
            throw key.invalid(key.value(values), "needs at least one method and no duplicates");
        }
        List<String> unknown = PlanMethods.unknown(methods);
        if (!unknown.isEmpty()) {
            throw key.invalid(key.value(values), "unknown method '" + unknown.get(0) + "'; known methods: " + PlanMethods.known());
        }
        return methods;
    }

    private static String required(ConfigKey key, Map<String, String> values) {
        String value = key.value(values);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("missing config key '" + key.name() + "', required with merger.plan.id: " + key.doc());
        }
        return value;
    }

    private static List<String> list(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
