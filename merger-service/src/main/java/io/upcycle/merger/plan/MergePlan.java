package io.upcycle.merger.plan;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which runs to merge, how, and from which base: the merger waits until every run of the plan has
 * a stop decision, then merges their chosen checkpoints onto the base. The plan's provenance, its
 * tags and the parameters of its firing (e.g. {@code plan.runs.merged = 3/4}), goes unchanged into
 * the {@code MergeCompleted} event and the card of every merge of the plan.
 *
 * @param planId names the plan in events and output files
 * @param runIds the runs whose experts are merged, in a fixed order
 * @param method a name from {@link PlanMethods#known()}
 * @param baseUri {@code file:} URI of the shared pretrained base checkpoint
 * @param baseSha256 the base file's sha256; the merge refuses any other bytes
 * @param tags copied onto the result (e.g. {@code study.id}); not part of the merge id
 * @param planParameters added to the result's parameters (the {@code plan.*} keys of {@link PlanSpec#mergePlan});
 *     not part of the merge id
 */
public record MergePlan(String planId, List<String> runIds, String method, String baseUri, String baseSha256,
                        Map<String, String> tags, Map<String, String> planParameters) {

    public MergePlan {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(baseSha256, "baseSha256");
        runIds = List.copyOf(runIds);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        planParameters = Collections.unmodifiableMap(new LinkedHashMap<>(planParameters));
        if (runIds.isEmpty()) {
            throw new IllegalArgumentException("plan '" + planId + "' names no runs");
        }
        if (new HashSet<>(runIds).size() != runIds.size()) {
            throw new IllegalArgumentException("plan '" + planId + "' names a run twice: " + runIds);
        }
    }

    /** A plan without tags or plan parameters, e.g. a single merge outside the service. */
    public MergePlan(String planId, List<String> runIds, String method, String baseUri, String baseSha256) {
        this(planId, runIds, method, baseUri, baseSha256, Map.of(), Map.of());
    }

    /** Whether {@code runId} belongs to the plan. */
    public boolean includes(String runId) {
        return runIds.contains(runId);
    }

    /** {@code given} (a merge's own parameters) followed by the plan's parameters. */
    public Map<String, String> withPlanParameters(Map<String, String> given) {
        Map<String, String> all = new LinkedHashMap<>(given);
        all.putAll(planParameters);
        return all;
    }
}
