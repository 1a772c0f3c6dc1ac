package io.upcycle.bench.monitor;

import java.util.Arrays;

/**
 * Stop latencies: each run's triggering losses record handed to the producer, to its decision read
 * by a trainer-style watcher (read_committed), in milliseconds, sorted.
 *
 * @param millis one sample per measured run that was decided, ascending
 * @param runs measured runs that should have been decided
 * @param warmupMillis the samples of the warm-up runs triggered before the measured ones, in the order
 *     triggered (not in the percentiles: a fresh monitor's first decisions pay one-time costs)
 * @param trainers trainers training beside the monitor while it was measured (0: quiet)
 * @param loadStepsPerSecond their steps per second together during the measurement (0 when quiet)
 */
public record LatencyResult(double[] millis, int runs, double[] warmupMillis, int trainers, double loadStepsPerSecond) {
    public LatencyResult {
        millis = millis.clone();
        Arrays.sort(millis);
        warmupMillis = warmupMillis.clone();
    }

    /** Nothing measured. */
    static LatencyResult none() {
        return new LatencyResult(new double[0], 0, new double[0], 0, 0);
    }

    /** These samples, taken with {@code trainers} training beside the monitor at {@code stepsPerSecond} together. */
    LatencyResult underLoad(int trainers, double stepsPerSecond) {
        return new LatencyResult(millis, runs, warmupMillis, trainers, stepsPerSecond);
    }

    /** The nearest-rank percentile {@code p} (0-100), NaN without samples. */
    public double percentile(double p) {
        if (millis.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * millis.length);
        return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
    }

    public double max() {
        return millis.length == 0 ? Double.NaN : millis[millis.length - 1];
    }

    /** The slowest warm-up sample, NaN without any. */
    public double warmupMax() {
        return Arrays.stream(warmupMillis).max().orElse(Double.NaN);
    }

    public int samples() {
        return millis.length;
    }
}
