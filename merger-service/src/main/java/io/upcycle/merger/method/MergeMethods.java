package io.upcycle.merger.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The registry of merge methods by name; asking for an unknown name lists the known ones.
 * One class is registered under several names: {@link GeneralizedTaskArithmetic} configured as
 * task arithmetic, TIES, DARE-linear and DARE-TIES.
 */
public final class MergeMethods {
    private final Map<String, MergeMethod> byName = new LinkedHashMap<>();

    /** The registry with every method this build provides: average, task arithmetic, TIES, DARE-linear, DARE-TIES. */
    public static MergeMethods defaults() {
        return new MergeMethods().register(new Average())
                .register(GeneralizedTaskArithmetic.taskArithmetic())
                .register(GeneralizedTaskArithmetic.ties())
                .register(GeneralizedTaskArithmetic.dareLinear())
                .register(GeneralizedTaskArithmetic.dareTies());
    }

    /** Adds {@code method} under its {@link MergeMethod#name()}. */
    public MergeMethods register(MergeMethod method) {
        if (byName.putIfAbsent(method.name(), method) != null) {
            throw new IllegalArgumentException("merge method '" + method.name() + "' is registered twice");
        }
        return this;
    }

    /** The method of that name. */
    public MergeMethod get(String name) {
        MergeMethod method = byName.get(name);
        if (method == null) {
            throw new IllegalArgumentException("unknown merge method '" + name + "'; known methods: " + names());
        }
        return method;
    }

    /** Registered names in registration order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }
}
