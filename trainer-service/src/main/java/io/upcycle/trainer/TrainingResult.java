package io.upcycle.trainer;

import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.schemas.avro.EndReason;
import java.util.OptionalLong;

/**
 * What an expert run produced, returned to the CLI and to tests.
 *
 * @param runId the run
 * @param task the task trained
 * @param stepsDone optimizer steps completed
 * @param endReason BUDGET_EXHAUSTED or STOPPED (failures throw)
 * @param stopDecisionId the decision that stopped the run, null if none
 * @param stopRequestedAfterStep steps completed when the stop request arrived, empty if none
 * @param finalCheckpoint the checkpoint of the last step
 * @param finalTrainLoss mean loss of the last step's batch
 * @param validationAccuracy accuracy of the final weights on the validation split
 * @param testAccuracy accuracy of the final weights on the test split
 * @param timings where the time went
 */
public record TrainingResult(String runId, String task, long stepsDone, EndReason endReason, String stopDecisionId,
                             OptionalLong stopRequestedAfterStep, StoredCheckpoint finalCheckpoint, double finalTrainLoss,
                             double validationAccuracy, double testAccuracy, TrainingTimings timings) {
}
