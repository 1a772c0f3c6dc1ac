package io.upcycle.cli.report;

import java.util.List;

/**
 * Mean and sample standard deviation (divisor n - 1; 0 for a single value) of values over seeds,
 * with the values themselves so that every summary number can be checked against its inputs.
 */
public record Stat(double mean, double sd, List<Double> values) {
    /** No values: mean and s.d. are NaN. */
    public static final Stat NONE = new Stat(Double.NaN, Double.NaN, List.of());

    /** The mean and sample s.d. of {@code values}; {@link #NONE} when empty. */
    public static Stat of(List<Double> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = values.size() < 2 ? 0 : Math.sqrt(squares / (values.size() - 1));
        return new Stat(mean, sd, List.copyOf(values));
    }

    public int n() {
        return values.size();
    }

    public boolean present() {
        return !values.isEmpty();
    }
}
