package io.upcycle.monitor.audit;

import io.upcycle.schemas.avro.StopDecision;
import java.util.List;

/**
 * The audit of one run.
 *
 * @param runId the run
 * @param recorded the decisions the live monitor recorded
 * @param replayed the decisions the replay made under the recorded policy
 * @param mismatches what differs (decision id, step, checkpoint, reason, policy, parameters, mode); empty when reproduced
 * @param evidenceIdentical whether the decisions are equal field by field, evidence (signals, hard examples) included
 * @param lastStep the last step of the run in the log
 * @param counterfactual the decisions under the counterfactual parameters (empty if none asked or none made)
 * @param deadLetters the run's records the replay dead-lettered, with the first reasons: often why a decision differs
 */
public record RunAudit(String runId, List<StopDecision> recorded, List<StopDecision> replayed, List<String> mismatches,
                       boolean evidenceIdentical, long lastStep, List<StopDecision> counterfactual,
                       ReplayResult.DeadLetters deadLetters) {
    /** Every recorded decision was made again, the same, and no other. */
    public boolean reproduced() {
        return mismatches.isEmpty();
    }
}
