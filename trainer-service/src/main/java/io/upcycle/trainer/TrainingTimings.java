package io.upcycle.trainer;

import io.upcycle.trainer.events.TrainingEvents;

/**
 * Where a run's time went, measured on the training thread (nanoseconds).
 *
 * @param steps optimizer steps done
 * @param examples per-example losses produced (sum of batch sizes)
 * @param totalNanos wall time of the training loop
 * @param computeNanos forward, backward, update and reading the per-example statistics
 * @param publishNanos building the events and handing them to {@link TrainingEvents}
 * @param evalNanos validation passes
 * @param checkpointNanos copying weights out of the engine for checkpoints (writing is async)
 */
public record TrainingTimings(long steps, long examples, long totalNanos, long computeNanos, long publishNanos,
                              long evalNanos, long checkpointNanos) {

    /** Wall milliseconds per step, everything included. */
    public double msPerStep() {
        return steps == 0 ? Double.NaN : totalNanos / 1e6 / steps;
    }

    /** Milliseconds per step spent handing events over. */
    public double publishMsPerStep() {
        return steps == 0 ? Double.NaN : publishNanos / 1e6 / steps;
    }

    /** Share of the loop's time spent on publishing. */
    public double publishShare() {
        return totalNanos == 0 ? Double.NaN : (double) publishNanos / totalNanos;
    }

    /** Per-example losses produced per second of loop time. */
    public double examplesPerSecond() {
        return totalNanos == 0 ? Double.NaN : examples / (totalNanos / 1e9);
    }
}
