package io.upcycle.bench.trainer;

import java.util.Arrays;

/**
 * Mean, sample standard deviation, minimum and maximum of a few measurements.
 *
 * @param n number of measurements
 * @param mean arithmetic mean
 * @param sd sample standard deviation (0 for one measurement)
 * @param min smallest
 * @param max largest
 */
public record Spread(int n, double mean, double sd, double min, double max) {

    /** Standard error of the mean, sd / sqrt(n); NaN for fewer than two measurements. */
    public double standardError() {
        return n < 2 ? Double.NaN : sd / Math.sqrt(n);
    }

    /** The spread of {@code values}; all NaN when there are none. */
    public static Spread of(double... values) {
        if (values.length == 0) {
            return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        double sd = values.length < 2 ? 0 : Math.sqrt(squares / (values.length - 1));
        return new Spread(values.length, mean, sd, Arrays.stream(values).min().orElseThrow(),
                Arrays.stream(values).max().orElseThrow());
    }
}
