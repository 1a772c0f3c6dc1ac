package io.upcycle.bench.merger;

import io.upcycle.merger.method.ParallelRanges;

/**
 * What the machine's memory moves: bytes read per second by {@code System.arraycopy} of an array far
 * larger than the caches, split over the merge's threads, best of several copies. The yardstick a
 * merge's throughput is reported against (a merge reads each expert value at least once).
 */
final class MemoryBandwidth {
    private static final int VALUES = 1 << 26;
    private static final int COPIES = 5;

    private MemoryBandwidth() {
    }

    /** Bytes read per second, best of {@link #COPIES} copies of 256 MiB on {@link ParallelRanges#threads()} threads. */
    static double copyBytesPerSecond() {
        float[] from = new float[VALUES];
        float[] to = new float[VALUES];
        java.util.Arrays.fill(from, 1f);
        int share = (VALUES + ParallelRanges.threads() - 1) / ParallelRanges.threads();
        double best = Double.MAX_VALUE;
        for (int copy = 0; copy < COPIES; copy++) {
            long start = System.nanoTime();
            ParallelRanges.run(VALUES, share, () -> null, (state, at, count) -> System.arraycopy(from, (int) at, to, (int) at, count));
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return VALUES * 4.0 / best;
    }
}
