package io.upcycle.merger;

import io.upcycle.schemas.avro.ExpertRef;
import io.upcycle.schemas.avro.StopDecision;

/**
 * The checkpoint a stop decision chose for one run: what the merger loads (and verifies) for that
 * expert, and what {@code MergeCompleted.experts} reports.
 */
public record ExpertCheckpoint(String runId, String task, long step, String uri, String sha256) {

    /** The checkpoint named by {@code decision}; refuses a decision that names none. */
    public static ExpertCheckpoint from(StopDecision decision) {
        if (decision.getCheckpointUri() == null || decision.getCheckpointSha256() == null || decision.getCheckpointStep() == null) {
            throw new IllegalArgumentException("stop decision " + decision.getDecisionId() + " of run " + decision.getRunId()
                    + " names no checkpoint (uri, sha256 and step are required to merge)");
        }
        return new ExpertCheckpoint(decision.getRunId(), decision.getTask(), decision.getCheckpointStep(),
                decision.getCheckpointUri(), decision.getCheckpointSha256());
    }

    /** The checkpoint an earlier result reports (e.g. read back from {@code upcycle.merge-results}). */
    public static ExpertCheckpoint from(ExpertRef ref) {
        return new ExpertCheckpoint(ref.getRunId(), ref.getTask(), ref.getStep(), ref.getUri(), ref.getSha256());
    }

    /** How {@code MergeCompleted.experts} reports this checkpoint. */
    public ExpertRef toRef() {
        return ExpertRef.newBuilder().setRunId(runId).setTask(task).setStep(step).setUri(uri).setSha256(sha256).build();
    }
}
