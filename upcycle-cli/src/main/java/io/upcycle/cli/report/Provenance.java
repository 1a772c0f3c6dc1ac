package io.upcycle.cli.report;

import java.util.List;

/**
 * Where the numbers of a study come from: every run (with its pass, labels and end), and every merge
 * (with its experts' run ids, steps and checkpoint sha256s, the base and output hashes).
 */
public record Provenance(List<RunRow> runs, List<MergeRow> merges) {

    /** One training run of the study. */
    public record RunRow(String runId, String task, String mode, long seed, String pass, long budget, Long finalStep,
                         String endReason, String baseModelSha256, String datasetFingerprint) {
    }

    /** One merge (or baseline evaluation) of the study. */
    public record MergeRow(String mergeId, String mode, String method, long seed, String point, String lambda, String lambdaEdge,
                           String lambdaTried, List<ExpertRow> experts, String baseSha256, String outputSha256) {
    }

    /** One expert checkpoint a merge used. */
    public record ExpertRow(String runId, String task, long step, String sha256) {
    }
}
