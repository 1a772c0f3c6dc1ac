package io.upcycle.merger.plan;

import io.upcycle.config.ConfigValues;
import io.upcycle.merger.service.MergerConfig;
import io.upcycle.model.checkpoint.CheckpointStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the optional configured plan from the {@code plan.*} keys of {@link MergerConfig}, naming
 * the key of any bad value: none when {@code plan.id} is empty; otherwise its runs and base are
 * required, and its methods and minimum runs are checked against each other.
 */
public final class ConfiguredPlan {

    private ConfiguredPlan() {
    }

    public static Optional<PlanSpec> from(ConfigValues v) {
        List<String> methods = methods(v);
        String planId = v.getString(MergerConfig.PLAN_ID);
        if (planId.isEmpty()) {
            return Optional.empty();
        }
        List<String> runs = v.getList(MergerConfig.PLAN_RUNS);
        if (runs.isEmpty() || runs.stream().distinct().count() != runs.size()) {
            throw v.invalid(MergerConfig.PLAN_RUNS, "needs at least one run id and no duplicates (required with plan.id)");
        }
        String baseUri = v.getString(MergerConfig.BASE_URI);
        String baseSha = v.getString(MergerConfig.BASE_SHA256);
        if (baseUri.isEmpty() != baseSha.isEmpty()) {
            String missing = baseUri.isEmpty() ? MergerConfig.BASE_URI : MergerConfig.BASE_SHA256;
            throw v.invalid(missing, "required with " + (baseUri.isEmpty() ? MergerConfig.BASE_SHA256 : MergerConfig.BASE_URI)
                    + " (leave both empty for the base the experts were trained from)");
        }
        if (!baseUri.isEmpty()) {
            try {
                CheckpointStore.toPath(baseUri);
            } catch (RuntimeException e) {
                throw v.invalid(MergerConfig.BASE_URI, e.getMessage());
            }
        }
        int minRuns = v.getInt(MergerConfig.PLAN_MIN_RUNS);
        if (minRuns > runs.size()) {
            throw v.invalid(MergerConfig.PLAN_MIN_RUNS, "must be 0 (all runs) to " + runs.size() + " (the runs of plan.runs)");
        }
        return Optional.of(new PlanSpec(planId, runs, methods, minRuns, Duration.ofMillis(v.getLong(MergerConfig.PLAN_TIMEOUT_MS)),
                baseUri, baseSha, Map.of()));
    }

    /** {@code plan.methods}, or {@code plan.method} alone; each must be a known method. */
    public static List<String> methods(ConfigValues v) {
        List<String> many = v.getList(MergerConfig.PLAN_METHODS);
        if (!many.isEmpty() && v.given(MergerConfig.PLAN_METHOD)) {
            throw v.invalid(MergerConfig.PLAN_METHODS, "give either plan.methods or plan.method, not both");
        }
        String key = many.isEmpty() ? MergerConfig.PLAN_METHOD : MergerConfig.PLAN_METHODS;
        List<String> methods = many.isEmpty() ? List.of(v.getString(MergerConfig.PLAN_METHOD)) : many;
        if (methods.stream().distinct().count() != methods.size()) {
            throw v.invalid(key, "needs at least one method and no duplicates");
        }
        List<String> unknown = PlanMethods.unknown(methods);
        if (!unknown.isEmpty()) {
            throw v.invalid(key, "unknown method '" + unknown.get(0) + "'; known methods: " + PlanMethods.known());
        }
        return methods;
    }
}
