package io.upcycle.bench.monitor;

import java.util.Arrays;

/**
 * Stop latencies: each run's triggering losses record handed to the producer, to its decision read
 * by a trainer-style watcher (read_committed), in milliseconds, sorted.
 *
 * @param millis one sample per run that was decided, ascending
 * @param runs runs that should have been decided
 */
public record LatencyResult(double[] millis, int runs) {
    public LatencyResult {
        millis = millis.clone();
        Arrays.sort(millis);
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

    public int samples() {
        return millis.length;
    }
}
