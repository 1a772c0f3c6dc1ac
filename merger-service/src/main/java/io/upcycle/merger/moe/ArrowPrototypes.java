package io.upcycle.merger.moe;

import java.util.Random;

/**
 * Arrow's expert prototype (Ostapenko et al. 2024, "Towards Modular LLMs by Building and Reusing a
 * Library of LoRAs", arXiv:2405.11157): the top right singular vector {@code v} of the expert's
 * dense update {@code ΔW = (alpha/r) B A} ({@code [out, in]}), i.e. the input direction the adapter
 * amplifies most. Found by power iteration on {@code ΔW^T ΔW = A^T B^T B A}, applied factored
 * ({@code O(r (in + out))} per step), so {@code ΔW} is never formed.
 *
 * <p>A singular vector has no sign; Arrow's logits use {@code |<v, x>|}, so either sign routes the
 * same. For reproducible files the returned vector's largest-magnitude component is made positive.
 */
public final class ArrowPrototypes {
    /** Iterations at most; the tiny trunk converges in far fewer unless the top two singular values tie. */
    static final int MAX_ITERATIONS = 2000;
    /** Stop once {@code 1 - |<v_t, v_{t+1}>|} is below this. */
    static final double TOLERANCE = 1e-12;

    private ArrowPrototypes() {
    }

    /** The unit-norm top right singular vector of {@code update}'s {@code ΔW}; starts from a vector drawn with {@code seed}. */
    public static float[] prototype(LowRankUpdate update, long seed) {
        Random random = new Random(seed);
        double[] v = new double[update.in()];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        normalize(v, update);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] next = gram(update, v);
            normalize(next, update);
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += v[i] * next[i];
            }
            v = next;
            if (1 - Math.abs(dot) < TOLERANCE) {
                break;
            }
        }
        int largest = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[largest])) {
                largest = i;
            }
        }
        double sign = v[largest] < 0 ? -1 : 1;
        float[] result = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            result[i] = (float) (sign * v[i]) + 0.0f; // + 0: no negative zeros in files
        }
        return result;
    }

    /** {@code A^T B^T B A v} (the scale only stretches the spectrum, not its vectors). */
    private static double[] gram(LowRankUpdate u, double[] v) {
        int in = u.in();
        int out = u.out();
        int r = u.rank();
        double[] av = new double[r];
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < in; i++) {
                av[k] += u.a()[k * in + i] * v[i];
            }
        }
        double[] bav = new double[out];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < r; k++) {
                bav[o] += u.b()[o * r + k] * av[k];
            }
        }
        double[] btbav = new double[r];
        for (int k = 0; k < r; k++) {
            for (int o = 0; o < out; o++) {
                btbav[k] += u.b()[o * r + k] * bav[o];
            }
        }
        double[] result = new double[in];
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < in; i++) {
                result[i] += u.a()[k * in + i] * btbav[k];
            }
        }
        return result;
    }

    private static void normalize(double[] v, LowRankUpdate update) {
        double norm = 0;
        for (double value : v) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 1e-30)) {
            throw new IllegalArgumentException("LoRA update (" + update.out() + " x " + update.in() + ", rank " + update.rank()
                    + ") is zero, so it has no Arrow prototype (an adapter whose B is still zero was never trained)");
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
    }
}
