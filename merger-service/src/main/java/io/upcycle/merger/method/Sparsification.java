package io.upcycle.merger.method;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How each expert's task vector is thinned before the experts are combined (mergekit's
 * "sparsification"), on plain Java arrays so that the threshold is exact and the masks are
 * reproducible on any engine. Each function returns a new array and leaves its input alone.
 */
public enum Sparsification {
    /** Keep every entry (task arithmetic). */
    NONE,
    /** Keep the top {@code density} fraction by magnitude, zero the rest (TIES "trim"). */
    MAGNITUDE,
    /** Keep each entry with probability {@code density} and rescale the kept by {@code 1/density} (DARE). */
    RANDOM;

    /**
     * Applies this sparsification to one expert's task vector of one tensor. {@code seed} is only
     * read by {@link #RANDOM}: the mask of (tensor, expert) is drawn from {@link #maskSeed}.
     */
    public float[] apply(float[] tau, double density, long seed, String tensor, int expert) {
        return switch (this) {
            case NONE -> tau.clone();
            case MAGNITUDE -> {
                try {
                    yield magnitude(tau, density);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("tensor '" + tensor + "' of expert " + expert + ": " + e.getMessage(), e);
                }
            }
            case RANDOM -> random(tau, density, maskSeed(seed, tensor, expert));
        };
    }

    /**
     * Magnitude pruning: keeps the entries with {@code |tau| >= t}, where {@code t} is the
     * {@code floor(density * n)}-th largest magnitude (ties at {@code t} are all kept); density 1
     * keeps everything, density 0 nothing.
     */
    public static float[] magnitude(float[] tau, double density) {
        int k = MagnitudeThreshold.keepCount(tau.length, density);
        float threshold = MagnitudeThreshold.kthLargestMagnitude(tau, k);
        float[] kept = new float[tau.length];
        for (int i = 0; i < tau.length; i++) {
            if (Math.abs(tau[i]) >= threshold) {
                kept[i] = tau[i];
            }
        }
        return kept;
    }

    /**
     * DARE's drop-and-rescale: each entry survives with probability {@code density} (one uniform
     * draw per entry, in index order, from {@code SplittableRandom(seed)}, as {@link DropMask} computes it) and survivors are divided
     * by {@code density}, so the expected value of every entry is unchanged. Density 1 is the identity.
     */
    public static float[] random(float[] tau, double density, long seed) {
        float[] kept = new float[tau.length];
        new DropMask(seed, density).thin(tau, 0, tau.length, kept);
        return kept;
    }

    /**
     * The chunk form of a sparsification: thins consecutive chunks of one expert's task vector, from
     * its first value on, so that the chunks together equal {@link #apply} on the whole vector.
     */
    @FunctionalInterface
    public interface Thinning {
        /** The thinned copy of {@code tau[0..count)}, the next chunk of the vector. */
        float[] next(float[] tau, int count);
    }

    /**
     * The chunk form of {@link #apply} for one expert's tensor; {@code threshold} is read by
     * {@link #MAGNITUDE} only (the whole tensor's {@code floor(density * n)}-th largest magnitude).
     */
    public Thinning thinning(double density, float threshold, long seed, String tensor, int expert) {
        MagnitudeThreshold.checkDensity(density);
        return switch (this) {
            case NONE -> (tau, count) -> Arrays.copyOf(tau, count);
            case MAGNITUDE -> (tau, count) -> {
                float[] kept = new float[count];
                for (int i = 0; i < count; i++) {
                    if (Math.abs(tau[i]) >= threshold) {
                        kept[i] = tau[i];
                    }
                }
                return kept;
            };
            case RANDOM -> {
                DropMask mask = new DropMask(maskSeed(seed, tensor, expert), density);
                long[] position = {0};
                yield (tau, count) -> {
                    float[] kept = new float[count];
                    mask.thin(tau, position[0], count, kept);
                    position[0] += count;
                    return kept;
                };
            }
        };
    }

    /**
     * The seed of the mask of one expert's tensor: the recorded merge seed mixed with the tensor name
     * (UTF-8 bytes, FNV-1a) and the expert's index, so masks differ across tensors and experts yet are
     * the same on every run with the same seed.
     */
    public static long maskSeed(long seed, String tensor, int expert) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : tensor.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new SplittableRandom(seed ^ hash ^ (0x9e3779b97f4a7c15L * (expert + 1))).nextLong();
    }
}
