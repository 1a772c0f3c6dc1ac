package io.upcycle.merger.plan;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.MergeRunner;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.moe.MoeUpcycler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every method a plan may name, each with the runner that runs it: the merge methods of
 * {@link MergeMethods#defaults()} by {@link MergeRunner}, {@code moe_arrow} and {@code moe_router}
 * by {@link MoeUpcycler}. A method no runner knows is refused naming all the known ones.
 */
public final class PlanMethods implements PlanMethodRunner {
    private final Map<String, PlanMethodRunner> byMethod = new LinkedHashMap<>();

    /** Dispatches to {@code runners}; a method claimed by two of them is refused. */
    public PlanMethods(List<PlanMethodRunner> runners) {
        for (PlanMethodRunner runner : runners) {
            for (String method : runner.methods()) {
                if (byMethod.putIfAbsent(method, runner) != null) {
                    throw new IllegalArgumentException("method '" + method + "' is run by two runners");
                }
            }
        }
    }

    /** Every method name this build provides, merges first, then MoE upcycling. */
    public static List<String> known() {
        List<String> names = new ArrayList<>(MergeMethods.defaults().names());
        names.addAll(MoeUpcycler.METHODS);
        return names;
    }

    /** The names of {@code methods} that are not {@link #known()}. */
    public static List<String> unknown(List<String> methods) {
        return methods.stream().filter(m -> !known().contains(m)).toList();
    }

    @Override
    public List<String> methods() {
        return List.copyOf(byMethod.keySet());
    }

    @Override
    public MergeResult run(MergePlan plan, List<ExpertCheckpoint> experts) {
        PlanMethodRunner runner = byMethod.get(plan.method());
        if (runner == null) {
            throw new IllegalArgumentException("plan '" + plan.planId() + "' names method '" + plan.method()
                    + "', which no runner here runs; runs: " + methods() + "; known methods: " + known());
        }
        return runner.run(plan, experts);
    }
}
