package io.upcycle.merger.plan;

import io.upcycle.schemas.avro.MergeRequested;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A plan as the merger service tracks it: the runs to combine, one merge per method, the base, the
 * tags copied onto every result, and when to fire ({@link PlanFiring}): when every run has a stop
 * decision, or, with {@code minRuns > 0}, once {@code minRuns} runs have one and {@code timeout}
 * has passed since the {@code minRuns}-th arrived. Each firing runs {@link MergePlan}s made by
 * {@link #mergePlan}, one per method, over the runs decided by then.
 *
 * @param minRuns 0 (all runs) or 1..runIds.size()
 * @param timeout how long to wait for the rest after the {@code minRuns}-th decision; zero fires at once
 */
public record PlanSpec(String planId, List<String> runIds, List<String> methods, int minRuns, Duration timeout,
                       String baseUri, String baseSha256, Map<String, String> tags) {
    private static final Pattern PLAN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public PlanSpec {
        Objects.requireNonNull(planId, "planId");
        if (!PLAN_NAME.matcher(planId).matches()) {
            throw new IllegalArgumentException("plan id '" + planId + "' must be letters, digits, '.', '_' or '-' (at most 100)");
        }
        runIds = List.copyOf(runIds);
        methods = List.copyOf(methods);
        tags = Map.copyOf(tags);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(baseSha256, "baseSha256");
        if (runIds.isEmpty() || new HashSet<>(runIds).size() != runIds.size()) {
            throw new IllegalArgumentException("plan '" + planId + "' needs at least one run and no duplicates: " + runIds);
        }
        if (methods.isEmpty() || new HashSet<>(methods).size() != methods.size()) {
            throw new IllegalArgumentException("plan '" + planId + "' needs at least one method and no duplicates: " + methods);
        }
        if (minRuns < 0 || minRuns > runIds.size()) {
            throw new IllegalArgumentException("plan '" + planId + "' has minRuns " + minRuns + "; must be 0 (all) to "
                    + runIds.size() + " (its runs)");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("plan '" + planId + "' has a negative timeout " + timeout);
        }
        if (baseUri.isEmpty() != baseSha256.isEmpty()) {
            throw new IllegalArgumentException("plan '" + planId + "' gives a base uri or sha256 without the other; give both, or"
                    + " neither for the base its experts were trained from");
        }
        if (!baseSha256.isEmpty() && !SHA256.matcher(baseSha256).matches()) {
            throw new IllegalArgumentException("plan '" + planId + "' base sha256 '" + baseSha256 + "' is not 64 lower-case hex digits");
        }
    }

    /** Whether the plan names no base: its experts' checkpoints do ({@link ExpertsBase}). */
    public boolean baseFromExperts() {
        return baseUri.isEmpty();
    }

    /** This plan with base {@code uri} of hash {@code sha256}. */
    public PlanSpec withBase(String uri, String sha256) {
        return new PlanSpec(planId, runIds, methods, minRuns, timeout, uri, sha256, tags);
    }

    /** One method, every run, no timeout, the plan's tags: what a {@link MergePlan} alone says. */
    public static PlanSpec of(MergePlan plan) {
        return new PlanSpec(plan.planId(), plan.runIds(), List.of(plan.method()), 0, Duration.ZERO, plan.baseUri(),
                plan.baseSha256(), plan.tags());
    }

    /** The plan of a {@code MergeRequested} event; an invalid event throws {@link IllegalArgumentException}. */
    public static PlanSpec from(MergeRequested event) {
        return new PlanSpec(event.getPlanId(), event.getRunIds(), event.getMethods(), event.getMinRuns(),
                Duration.ofMillis(event.getTimeoutMs()), event.getBaseUri(), event.getBaseSha256(), event.getTags());
    }

    /** The same plan as an event, e.g. to publish on {@code upcycle.merge-plans}. */
    public MergeRequested toEvent() {
        return MergeRequested.newBuilder().setPlanId(planId).setRunIds(runIds).setMethods(methods).setMinRuns(minRuns)
                .setTimeoutMs(timeout.toMillis()).setBaseUri(baseUri).setBaseSha256(baseSha256).setTags(tags).build();
    }

    /** Runs needed before the plan may fire early: {@code minRuns}, or all when it is 0. */
    public int quorum() {
        return minRuns == 0 ? runIds.size() : minRuns;
    }

    /** Whether {@code runId} belongs to the plan. */
    public boolean includes(String runId) {
        return runIds.contains(runId);
    }

    /**
     * The single merge of {@code method} over {@code runs} (a subset of the plan's, in its order), with
     * the plan's tags and the parameters {@code plan.runs.merged} (e.g. {@code 3/4}) and, for N-of-M
     * plans, {@code plan.min.runs} and {@code plan.timeout.ms}.
     */
    public MergePlan mergePlan(String method, List<String> runs) {
        if (!methods.contains(method) || !runIds.containsAll(runs)) {
            throw new IllegalArgumentException("plan '" + planId + "' has no method '" + method + "' or not all of runs " + runs);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("plan.runs.merged", runs.size() + "/" + runIds.size());
        if (minRuns > 0) {
            parameters.put("plan.min.runs", Integer.toString(minRuns));
            parameters.put("plan.timeout.ms", Long.toString(timeout.toMillis()));
        }
        return new MergePlan(planId, runs, method, baseUri, baseSha256, tags, parameters);
    }
}
