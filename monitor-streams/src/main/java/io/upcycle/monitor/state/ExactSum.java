package io.upcycle.monitor.state;

/**
 * An exact sum of non-negative finite floats that can also take values away again: one integer
 * accumulator per float exponent, holding the sum of the significands with that exponent. The
 * accumulators are a function of the multiset of values added (never of the order, never of what
 * was added and removed since), so {@link #value()}, rounded once from them in a fixed order, is
 * the same whether the sum was kept up to date incrementally or recomputed from scratch. That is
 * what lets the monitor update its loss sums per changed example instead of rescanning a run.
 *
 * <p>Each accumulator stays exact as long as fewer than 2^29 values are summed (significands are
 * below 2^24); a run holds at most a million.
 */
public final class ExactSum {
    private static final int EXPONENTS = 255;
    private static final double[] SCALE = new double[EXPONENTS];

    static {
        for (int e = 1; e < EXPONENTS; e++) {
            SCALE[e] = Math.scalb(1.0, e - 150); // the weight of one significand unit at float exponent e
        }
    }

    private final long[] bins = new long[EXPONENTS];

    /** Adds {@code value} (finite, non-negative). */
    public void add(float value) {
        int bits = Float.floatToRawIntBits(value);
        int exponent = (bits >>> 23) & 0xFF; // the sign bit is dropped: only -0.0 has it
        int significand = bits & 0x7FFFFF;
        if (exponent == 0) {
            bins[1] += significand; // subnormal: same weight as the smallest normal exponent, no hidden bit
        } else {
            bins[exponent] += significand | 0x800000;
        }
    }

    /** Removes {@code value}, which must have been added before. */
    public void subtract(float value) {
        int bits = Float.floatToRawIntBits(value);
        int exponent = (bits >>> 23) & 0xFF; // the sign bit is dropped: only -0.0 has it
        int significand = bits & 0x7FFFFF;
        if (exponent == 0) {
            bins[1] -= significand;
        } else {
            bins[exponent] -= significand | 0x800000;
        }
    }

    /** The sum, rounded to a double from the exact accumulators (smallest exponents first). */
    public double value() {
        double sum = 0;
        for (int e = 1; e < EXPONENTS; e++) {
            if (bins[e] != 0) {
                sum += bins[e] * SCALE[e];
            }
        }
        return sum;
    }

    /** Forgets everything added. */
    public void clear() {
        java.util.Arrays.fill(bins, 0);
    }
}
