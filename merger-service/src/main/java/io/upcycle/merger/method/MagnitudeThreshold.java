package io.upcycle.merger.method;

/**
 * The exact magnitude threshold of TIES trimming, found by quickselect on the Java side: DJL's
 * TensorFlow engine has no topK/percentile, and sorting millions of values there is very slow.
 * Expected linear time, one scratch copy of the magnitudes.
 */
public final class MagnitudeThreshold {
    private MagnitudeThreshold() {
    }

    /**
     * How many entries a density keeps: {@code floor(density * n)}, as PEFT and mergekit do
     * ({@code int(density * numel)}).
     */
    public static int keepCount(int n, double density) {
        checkDensity(density);
        return (int) Math.floor(density * n);
    }

    /**
     * The {@code k}-th largest of {@code |values|} (1-based): keeping every entry whose magnitude is
     * at least this keeps the top {@code k} (more only when magnitudes tie at the threshold).
     * {@code k = 0} answers positive infinity, so nothing is kept.
     */
    public static float kthLargestMagnitude(float[] values, int k) {
        if (k < 0 || k > values.length) {
            throw new IllegalArgumentException("k must be in [0, " + values.length + "], was " + k);
        }
        if (k == 0) {
            return Float.POSITIVE_INFINITY;
        }
        float[] scratch = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            if (Float.isNaN(values[i])) {
                throw new IllegalArgumentException("values hold NaN at index " + i + "; a magnitude threshold (TIES trimming) needs numbers");
            }
            scratch[i] = Math.abs(values[i]);
        }
        // the k-th largest is the (n - k)-th smallest, 0-based
        return select(scratch, values.length - k);
    }

    /** {@link #keepCount(int, double)} for tensors of any size. */
    public static long keepCount(long n, double density) {
        checkDensity(density);
        return (long) Math.floor(density * n);
    }

    /** Refuses a density outside [0, 1] (or NaN). */
    public static void checkDensity(double density) {
        if (!(density >= 0 && density <= 1)) {
            throw new IllegalArgumentException("density must be in [0, 1], was " + density);
        }
    }

    /** Hoare-style quickselect with a median-of-three pivot; {@code a} is reordered. */
    private static float select(float[] a, int index) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            float pivot = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (index <= j) {
                hi = j;
            } else if (index >= i) {
                lo = i;
            } else {
                return a[index];
            }
        }
        return a[index];
    }

    private static float median(float x, float y, float z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }
}
