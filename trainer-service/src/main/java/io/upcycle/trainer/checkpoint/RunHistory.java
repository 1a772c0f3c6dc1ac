package io.upcycle.trainer.checkpoint;

import io.upcycle.schemas.avro.EndReason;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the event log already holds about a run id, read before (re)starting it: whether it
 * started, when (the event-time origin a resumed run must keep), how it last ended, and per
 * topic the last step published, so that a resumed run publishes each step exactly once.
 *
 * @param started whether a RunStarted of the run is in the log
 * @param startTimestamp record timestamp of the first RunStarted (the run's clock origin), -1 if none
 * @param lastEnd reason of the RunEnded after the latest RunStarted, null if none
 * @param lastMetricsStep last step on the step-metrics topic before the first missing one, 0 if none
 * @param lastLossesStep last step of batch losses on the example-losses topic before the first missing one, 0 if none
 * @param lastFullPassStep last step of a full-pass record, 0 if none
 * @param checkpoints step to sha256 of every CheckpointSaved of the run
 * @param learningRates step to the learning rate StepMetrics reported for it
 * @param trainLosses step to the batch loss StepMetrics reported for it
 */
public record RunHistory(boolean started, long startTimestamp, EndReason lastEnd, long lastMetricsStep, long lastLossesStep,
                  long lastFullPassStep, Map<Long, String> checkpoints, Map<Long, Float> learningRates,
                  Map<Long, Float> trainLosses) {

    public RunHistory {
        checkpoints = Map.copyOf(checkpoints);
        learningRates = Map.copyOf(learningRates);
        trainLosses = Map.copyOf(trainLosses);
    }

    /** A run id the log has never seen. */
    static RunHistory none() {
        return new RunHistory(false, -1, null, 0, 0, 0, Map.of(), Map.of(), Map.of());
    }

    /** The last step every per-step topic holds: steps after it still need some event published. */
    long completeThrough() {
        return Math.min(lastMetricsStep, lastLossesStep);
    }

    /** The last step any per-step topic holds: steps up to it are recomputed, not trained anew. */
    public long publishedThrough() {
        return Math.max(Math.max(lastMetricsStep, lastLossesStep), lastFullPassStep);
    }

    /** Checkpoint steps, in order. */
    Iterable<Long> checkpointStepsDescending() {
        return new TreeMap<>(checkpoints).descendingKeySet();
    }
}
