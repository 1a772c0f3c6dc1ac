package io.upcycle.merger;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Which runs to merge, how, and from which base: the merger waits until every run of the plan has
 * a stop decision, then merges their chosen checkpoints onto the base.
 *
 * @param planId names the plan in events and output files
 * @param runIds the runs whose experts are merged, in a fixed order
 * @param method a name from {@link io.upcycle.merger.method.MergeMethods}
 * @param baseUri {@code file:} URI of the shared pretrained base checkpoint
 * @param baseSha256 the base file's sha256; the merge refuses any other bytes
 */
public record MergePlan(String planId, List<String> runIds, String method, String baseUri, String baseSha256) {

    public MergePlan {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(baseSha256, "baseSha256");
        runIds = List.copyOf(runIds);
        if (runIds.isEmpty()) {
            throw new IllegalArgumentException("plan '" + planId + "' names no runs");
        }
        if (new HashSet<>(runIds).size() != runIds.size()) {
            throw new IllegalArgumentException("plan '" + planId + "' names a run twice: " + runIds);
        }
    }

    /** Whether {@code runId} belongs to the plan. */
    public boolean includes(String runId) {
        return runIds.contains(runId);
    }
}
