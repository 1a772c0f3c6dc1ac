package io.upcycle.trainer.events;

import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;

/**
 * What a training run tells the world, in the order it happens: the loop calls these hooks the
 * way DJL calls its training listeners. Implementations publish (Kafka), record (tests) or drop
 * (no-op) the events.
 *
 * <p>Hooks must return quickly: the loop calls them between steps, and publishing must not stall
 * training. {@link #onCheckpoint} is called from the checkpoint writer's thread, the others from
 * the training thread, so implementations must be thread-safe. Every call carries its event time
 * explicitly.
 */
public interface TrainingEvents extends AutoCloseable {

    /** Events that go nowhere. */
    TrainingEvents NONE = new TrainingEvents() {
    };

    /** The run began. */
    default void onRunStarted(RunStarted started, long timestampMs) {
    }

    /** One optimizer step finished: its metrics and the per-example losses of its batch. */
    default void onStep(StepMetrics metrics, ExampleLosses losses, long timestampMs) {
    }

    /** Only the metrics of a step (a resumed run whose losses of that step are already in the log). */
    default void onStepMetrics(StepMetrics metrics, long timestampMs) {
    }

    /**
     * Per-example losses on their own: a full pass ({@code fullPass} set, after the step's batch
     * record) or the batch losses of a resumed run whose metrics of that step are already in the log.
     */
    default void onExampleLosses(ExampleLosses losses, long timestampMs) {
    }

    /** A checkpoint was written to the store. */
    default void onCheckpoint(CheckpointSaved saved, long timestampMs) {
    }

    /** The run ended; nothing follows. */
    default void onRunEnded(RunEnded ended, long timestampMs) {
    }

    /** Throws when events can no longer be delivered, so that training stops instead of outrunning its log. */
    default void requireHealthy() {
    }

    /** Waits until everything handed over so far is delivered (or failed, which it throws). */
    default void flush() {
    }

    @Override
    default void close() {
    }
}
