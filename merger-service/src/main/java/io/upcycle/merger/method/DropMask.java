package io.upcycle.merger.method;

/**
 * DARE's keep-or-drop draws for one expert's tensor, by index: draw {@code i} is the {@code (i+1)}-th
 * {@code nextDouble()} of {@code new SplittableRandom(seed)}, computed directly (SplittableRandom is
 * a counter passed through a fixed mix, so any draw can be had without the ones before it). The
 * masks are thus the same whether a tensor is thinned whole, in chunks in order, or in chunks on
 * several threads at once.
 */
public record DropMask(long seed, double density) {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    public DropMask {
        MagnitudeThreshold.checkDensity(density);
    }

    /** The uniform draw in [0, 1) of value {@code index}. */
    public double draw(long index) {
        return (mix64(seed + (index + 1) * GOLDEN_GAMMA) >>> 11) * DOUBLE_UNIT;
    }

    /** Whether value {@code index} is kept. */
    public boolean keeps(long index) {
        return draw(index) < density;
    }

    /**
     * Thins {@code tau[0..count)}, values {@code from ..} of the vector, into {@code into} (which may be
     * {@code tau}): a kept value is divided by the density, a dropped one becomes 0.
     */
    public void thin(float[] tau, long from, int count, float[] into) {
        if (density == 0) {
            java.util.Arrays.fill(into, 0, count, 0f);
            return;
        }
        long state = seed + (from + 1) * GOLDEN_GAMMA;
        for (int i = 0; i < count; i++, state += GOLDEN_GAMMA) {
            into[i] = (mix64(state) >>> 11) * DOUBLE_UNIT < density ? (float) (tau[i] / density) : 0f;
        }
    }

    /** SplittableRandom's output mix (Stafford's variant 13 of the MurmurHash3 finalizer). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
