package io.upcycle.merger.method;

import java.util.Arrays;

/**
 * The exact {@code k}-th largest magnitude of a stream of values, in bounded memory: a two-pass
 * radix select over the float bits. For {@code |x|} (sign bit cleared) the IEEE bit pattern orders
 * like the value, so pass 1 counts the values per high 16 bits, which fixes the bucket holding the
 * {@code k}-th largest, and pass 2 counts the low 16 bits inside that bucket, which fixes the value
 * exactly. Memory is two histograms (384 KiB) whatever the tensor size; the values are fed chunk by
 * chunk, twice, in any chunking, by one thread or several ({@link #count}). The answer equals {@link MagnitudeThreshold#kthLargestMagnitude}
 * ({@code -0} counts as {@code 0}); a NaN is refused, as no threshold is meaningful then.
 */
public final class RadixMagnitudeSelect {
    private static final int HIGH_BUCKETS = (0x7f800000 >>> 16) + 1;
    private static final int NaN_FREE_LIMIT = 0x7f800000;

    private final String label;
    private final long k;
    private final long[] high = new long[HIGH_BUCKETS];
    private final long[] low = new long[1 << 16];
    private int pass = 1;
    private int bucket = -1;
    private long rankInBucket;
    private long seen;
    private long offset;
    private float threshold = Float.NaN;

    /** Selects the {@code k}-th largest magnitude (1-based) of values named by {@code label} in errors. */
    public RadixMagnitudeSelect(String label, long k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, was " + k);
        }
        this.label = label;
        this.k = k;
        if (k == 0) {
            threshold = Float.POSITIVE_INFINITY;
            pass = 3;
        }
    }

    /** The k-th largest magnitude of {@code values} with two passes over the array: equal to quickselect's answer. */
    public static float kthLargestMagnitude(float[] values, int k) {
        if (k < 0 || k > values.length) {
            throw new IllegalArgumentException("k must be in [0, " + values.length + "], was " + k);
        }
        RadixMagnitudeSelect select = new RadixMagnitudeSelect("values", k);
        while (select.needsPass()) {
            select.add(values, values.length);
            select.endPass();
        }
        return select.threshold();
    }

    /** Whether another pass over all values is needed (at most two). */
    public boolean needsPass() {
        return pass <= 2;
    }

    /** Feeds the next {@code count} values of the current pass, in the same order in every pass. */
    public void add(float[] values, int count) {
        count(values, count, pass == 1 ? high : low, offset);
        offset += count;
    }

    /**
     * Empty counts of the current pass for one thread: fill them with {@link #count} over any share
     * of the values and hand them back with {@link #addCounts}, so that threads can count at once.
     */
    public long[] newCounts() {
        return new long[pass == 1 ? HIGH_BUCKETS : low.length];
    }

    /**
     * Counts {@code values[0..count)} into {@code counts} (from {@link #newCounts} of this pass);
     * {@code firstIndex} is the first value's index, for errors. Reads nothing this select changes
     * during a pass, so threads may call it at once with counts of their own.
     */
    public void count(float[] values, int count, long[] counts, long firstIndex) {
        int largest = 0;
        if (pass == 1) {
            for (int i = 0; i < count; i++) {
                int bits = Float.floatToRawIntBits(values[i]) & 0x7fffffff;
                largest = Math.max(largest, bits);
                counts[Math.min(bits, NaN_FREE_LIMIT) >>> 16]++;
            }
        } else {
            for (int i = 0; i < count; i++) {
                int bits = Float.floatToRawIntBits(values[i]) & 0x7fffffff;
                largest = Math.max(largest, bits);
                if ((bits >>> 16) == bucket) {
                    counts[bits & 0xffff]++;
                }
            }
        }
        if (largest > NaN_FREE_LIMIT) {
            int at = 0;
            while (!Float.isNaN(values[at])) {
                at++;
            }
            throw new IllegalArgumentException(label + " holds NaN at index " + (firstIndex + at)
                    + "; a magnitude threshold (TIES trimming) needs numbers");
        }
    }

    /** Adds one thread's {@code counts} of {@code values} values to this pass. */
    public synchronized void addCounts(long[] counts, long values) {
        long[] into = pass == 1 ? high : low;
        for (int i = 0; i < counts.length; i++) {
            into[i] += counts[i];
        }
        offset += values;
    }

    /** Ends the current pass: after pass 1 the bucket is known, after pass 2 the threshold. */
    public void endPass() {
        if (pass == 1) {
            seen = offset;
            if (k > seen) {
                throw new IllegalArgumentException("k = " + k + " but " + label + " has only " + seen + " values");
            }
            long above = 0;
            int h = HIGH_BUCKETS - 1;
            while (above + high[h] < k) {
                above += high[h--];
            }
            bucket = h;
            rankInBucket = k - above;
        } else if (pass == 2) {
            if (offset != seen) {
                throw new IllegalStateException(label + ": pass 2 saw " + offset + " values, pass 1 saw " + seen);
            }
            long above = 0;
            int l = low.length - 1;
            while (above + low[l] < rankInBucket) {
                above += low[l--];
            }
            threshold = Float.intBitsToFloat((bucket << 16) | l);
            Arrays.fill(low, 0);
        }
        offset = 0;
        pass++;
    }

    /** The selected magnitude; positive infinity for {@code k = 0} (nothing is kept). */
    public float threshold() {
        if (pass <= 2) {
            throw new IllegalStateException(label + ": the threshold is known after both passes");
        }
        return threshold;
    }
}
