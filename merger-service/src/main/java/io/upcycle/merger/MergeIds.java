package io.upcycle.merger;

import io.upcycle.files.Sha256;
import io.upcycle.merger.plan.MergePlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The one place that names a merge: {@code <planId>-<12 hex>} of a hash over the plan, method,
 * base, parameters and every expert's run and checkpoint hash, so a replayed plan with the same
 * inputs gets the same id (which is what makes firing idempotent).
 */
public final class MergeIds {
    private MergeIds() {
    }

    public static String of(MergePlan plan, List<ExpertCheckpoint> experts, Map<String, String> parameters) {
        StringBuilder identity = new StringBuilder(plan.planId()).append('|').append(plan.method())
                .append('|').append(plan.baseSha256()).append('|').append(parameters);
        experts.forEach(e -> identity.append('|').append(e.runId()).append(':').append(e.sha256()));
        return plan.planId() + "-" + Sha256.of(identity.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }
}
