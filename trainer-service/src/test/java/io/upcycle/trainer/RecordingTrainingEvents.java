package io.upcycle.trainer;

import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.events.TrainingEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/** Keeps every event in memory, in arrival order, with its timestamp; can react to steps. */
public final class RecordingTrainingEvents implements TrainingEvents {
    /** One recorded event and its timestamp. */
    record Recorded(Object event, long timestampMs) {
    }

    private final List<Recorded> all = new ArrayList<>();
    private LongConsumer onStep = step -> { };

    /** Calls {@code action} with the step number after each step's events are recorded. */
    RecordingTrainingEvents whenStep(LongConsumer action) {
        this.onStep = action;
        return this;
    }

    @Override
    public synchronized void onRunStarted(RunStarted started, long timestampMs) {
        all.add(new Recorded(started, timestampMs));
    }

    @Override
    public void onStep(StepMetrics metrics, ExampleLosses losses, long timestampMs) {
        synchronized (this) {
            all.add(new Recorded(metrics, timestampMs));
            all.add(new Recorded(losses, timestampMs));
        }
        onStep.accept(metrics.getStep());
    }

    @Override
    public synchronized void onStepMetrics(StepMetrics metrics, long timestampMs) {
        all.add(new Recorded(metrics, timestampMs));
    }

    @Override
    public synchronized void onExampleLosses(ExampleLosses losses, long timestampMs) {
        all.add(new Recorded(losses, timestampMs));
    }

    @Override
    public synchronized void onCheckpoint(CheckpointSaved saved, long timestampMs) {
        all.add(new Recorded(saved, timestampMs));
    }

    @Override
    public synchronized void onRunEnded(RunEnded ended, long timestampMs) {
        all.add(new Recorded(ended, timestampMs));
    }

    synchronized List<Recorded> all() {
        return List.copyOf(all);
    }

    public synchronized <T> List<T> of(Class<T> type) {
        List<T> list = new ArrayList<>();
        for (Recorded recorded : all) {
            if (type.isInstance(recorded.event())) {
                list.add(type.cast(recorded.event()));
            }
        }
        return list;
    }
}
