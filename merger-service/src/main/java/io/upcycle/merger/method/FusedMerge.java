package io.upcycle.merger.method;

/**
 * One tensor's merge of the task-arithmetic family on plain arrays, fused: every value of the base
 * and the experts is read once, and thinned, combined and scaled while it is in cache, with no
 * engine round trip. It works on any range of the tensor at any time and holds no state that a
 * range changes, so the ranges of one tensor can be merged on several threads at once. The float
 * operations are those of the engine path ({@link Sparsification}, {@link Consensus},
 * {@link MergeMethod#addTaskVector}) in the same order, so the results are equal to the last bit.
 */
public final class FusedMerge {
    /** Values per step: base, experts and three work rows of this size stay in a core's cache. */
    static final int STEP = 1 << 13;

    private final Sparsification sparsification;
    private final Consensus consensus;
    private final float[] thresholds;
    private final DropMask[] masks;
    private final float lambda;

    /**
     * A merge thinning by {@code sparsification} with the experts' magnitude {@code thresholds} or
     * drop {@code masks} (the one it reads), combining by {@code consensus} and scaling by {@code lambda}.
     */
    FusedMerge(Sparsification sparsification, Consensus consensus, float[] thresholds, DropMask[] masks, double lambda) {
        this.sparsification = sparsification;
        this.consensus = consensus;
        this.thresholds = thresholds;
        this.masks = masks;
        this.lambda = (float) lambda;
    }

    /** How many experts this merge combines. */
    public int experts() {
        return masks.length;
    }

    /** One thread's work arrays. */
    public Scratch scratch() {
        return new Scratch(experts());
    }

    /**
     * Merges values {@code [from, from + count)}, read through {@code source}, into
     * {@code out[outOffset ..]}: the merged values, or with {@code taskVector} the combined task
     * vector before lambda and the base.
     */
    public void apply(ChunkedMerge.Source source, long from, int count, Scratch scratch, float[] out, int outOffset,
                      boolean taskVector) {
        for (int done = 0; done < count; done += STEP) {
            int n = Math.min(STEP, count - done);
            long at = from + done;
            source.read(-1, at, scratch.base, n);
            for (int t = 0; t < masks.length; t++) {
                source.read(t, at, scratch.experts[t], n);
                thin(t, at, n, scratch.base, scratch.experts[t]);
            }
            float[] delta = consensus == Consensus.NONE ? sum(scratch, n) : disjointMean(scratch, n);
            if (taskVector) {
                System.arraycopy(delta, 0, out, outOffset + done, n);
            } else {
                float[] base = scratch.base;
                for (int i = 0; i < n; i++) {
                    out[outOffset + done + i] = base[i] + delta[i] * lambda;
                }
            }
        }
    }

    /** {@code expert := thin(expert - base)} for expert {@code t}'s values {@code at ..}. */
    private void thin(int t, long at, int n, float[] base, float[] expert) {
        switch (sparsification) {
            case NONE -> {
                for (int i = 0; i < n; i++) {
                    expert[i] -= base[i];
                }
            }
            case MAGNITUDE -> {
                // |tau| >= threshold, compared as bits (both are non-negative numbers), kept or +0 without a branch
                int threshold = Float.floatToRawIntBits(thresholds[t]);
                for (int i = 0; i < n; i++) {
                    int bits = Float.floatToRawIntBits(expert[i] - base[i]);
                    int keep = ~(((bits & 0x7fffffff) - threshold) >> 31);
                    expert[i] = Float.intBitsToFloat(bits & keep);
                }
            }
            case RANDOM -> {
                for (int i = 0; i < n; i++) {
                    expert[i] -= base[i];
                }
                masks[t].thin(expert, at, n, expert);
            }
        }
    }

    /** The plain sum, expert by expert in order (as {@link Consensus#NONE}). */
    private static float[] sum(Scratch s, int n) {
        float[] sum = s.sum;
        System.arraycopy(s.experts[0], 0, sum, 0, n);
        for (int t = 1; t < s.experts.length; t++) {
            float[] tau = s.experts[t];
            for (int i = 0; i < n; i++) {
                sum[i] += tau[i];
            }
        }
        return sum;
    }

    /**
     * TIES' elected sign and disjoint mean, with {@link Consensus#SIGN_ELECTION}'s operations:
     * {@code total = sum_t tau_t * agrees_t}, {@code count = sum_t agrees_t} (1 where 0), {@code total / count}.
     */
    private static float[] disjointMean(Scratch s, int n) {
        float[] sign = sum(s, n);
        for (int i = 0; i < n; i++) {
            sign[i] = elect(sign[i]);
        }
        float[] total = s.total;
        float[] count = s.count;
        float[] first = s.experts[0];
        for (int i = 0; i < n; i++) {
            float agrees = agrees(first[i], sign[i]);
            total[i] = first[i] * agrees;
            count[i] = agrees;
        }
        for (int t = 1; t < s.experts.length; t++) {
            float[] tau = s.experts[t];
            for (int i = 0; i < n; i++) {
                float agrees = agrees(tau[i], sign[i]);
                total[i] += tau[i] * agrees;
                count[i] += agrees;
            }
        }
        for (int i = 0; i < n; i++) {
            total[i] /= count[i] == 0f ? 1f : count[i];
        }
        return total;
    }

    /**
     * The elected sign of a sum, as {@link Consensus#electSign}: -1 below 0, +1 at 0 (either zero) and
     * above, NaN for NaN; without a branch: the sum's sign bit, unless it is -0, moved onto 1.
     */
    private static float elect(float sum) {
        int bits = Float.floatToRawIntBits(sum);
        int zero = ((bits & 0x7fffffff) - 1) >> 31;
        float sign = Float.intBitsToFloat(0x3f800000 | (bits & ~zero & 0x80000000));
        return Float.isNaN(sum) ? Float.NaN : sign;
    }

    /**
     * 1 where {@code tau} has the elected sign ({@code sign} is +1 or -1), else 0 (a 0 or NaN never
     * agrees), without a branch: {@code tau * sign} is a number above 0 exactly then, which its bits
     * tell as {@code 0 < bits <= +infinity}.
     */
    private static float agrees(float tau, float sign) {
        int bits = Float.floatToRawIntBits(tau * sign);
        return (~((bits - 1) | (0x7f800000 - bits))) >>> 31;
    }

    /** A thread's work arrays: one step of the base, of each expert and of three results. */
    public static final class Scratch {
        private final float[] base = new float[STEP];
        private final float[][] experts;
        private final float[] sum = new float[STEP];
        private final float[] total = new float[STEP];
        private final float[] count = new float[STEP];

        private Scratch(int experts) {
            this.experts = new float[experts][STEP];
        }
    }
}
