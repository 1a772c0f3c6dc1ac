package io.upcycle.trainer.events;

import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.checkpoint.RunHistory;

/**
 * The events of a resumed run minus those the log already holds, topic by topic: the earlier
 * attempt may have died with a step's metrics delivered and its losses not (they are separate
 * partitions), so each topic continues from its own last step. Lifecycle events always pass.
 */
public final class ResumedEvents implements TrainingEvents {
    private final TrainingEvents delegate;
    private final RunHistory history;

    public ResumedEvents(TrainingEvents delegate, RunHistory history) {
        this.delegate = delegate;
        this.history = history;
    }

    @Override
    public void onRunStarted(RunStarted started, long timestampMs) {
        delegate.onRunStarted(started, timestampMs);
    }

    @Override
    public void onStep(StepMetrics metrics, ExampleLosses losses, long timestampMs) {
        boolean newMetrics = metrics.getStep() > history.lastMetricsStep();
        boolean newLosses = losses.getStep() > history.lastLossesStep();
        if (newMetrics && newLosses) {
            delegate.onStep(metrics, losses, timestampMs);
        } else if (newMetrics) {
            delegate.onStepMetrics(metrics, timestampMs);
        } else if (newLosses) {
            delegate.onExampleLosses(losses, timestampMs);
        }
    }

    @Override
    public void onStepMetrics(StepMetrics metrics, long timestampMs) {
        if (metrics.getStep() > history.lastMetricsStep()) {
            delegate.onStepMetrics(metrics, timestampMs);
        }
    }

    @Override
    public void onExampleLosses(ExampleLosses losses, long timestampMs) {
        long last = losses.getFullPass() ? history.lastFullPassStep() : history.lastLossesStep();
        if (losses.getStep() > last) {
            delegate.onExampleLosses(losses, timestampMs);
        }
    }

    @Override
    public void onCheckpoint(CheckpointSaved saved, long timestampMs) {
        if (!history.checkpoints().containsKey(saved.getStep())) {
            delegate.onCheckpoint(saved, timestampMs);
        }
    }

    @Override
    public void onRunEnded(RunEnded ended, long timestampMs) {
        delegate.onRunEnded(ended, timestampMs);
    }

    @Override
    public void flush() {
        delegate.flush();
    }
}
