package io.upcycle.merger.method;

import java.util.Arrays;
import java.util.List;

/**
 * A deliberately naive plain-Java TIES, written from the paper's steps (sort-based threshold,
 * explicit loops), used by tests as an independent check of the engine implementation.
 */
public final class ReferenceMerge {
    private ReferenceMerge() {
    }

    /** Keeps the entries whose magnitude is at least the floor(density * n)-th largest (found by sorting). */
    public static float[] trim(float[] tau, double density) {
        int k = (int) Math.floor(density * tau.length);
        float[] magnitudes = new float[tau.length];
        for (int i = 0; i < tau.length; i++) {
            magnitudes[i] = Math.abs(tau[i]);
        }
        Arrays.sort(magnitudes);
        float threshold = k == 0 ? Float.POSITIVE_INFINITY : magnitudes[tau.length - k];
        float[] kept = new float[tau.length];
        for (int i = 0; i < tau.length; i++) {
            kept[i] = Math.abs(tau[i]) >= threshold ? tau[i] : 0f;
        }
        return kept;
    }

    /** TIES' combined task vector of already-trimmed vectors: elected sign (+1 on a zero sum), disjoint mean. */
    public static float[] signedDisjointMean(List<float[]> trimmed) {
        int n = trimmed.get(0).length;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (float[] tau : trimmed) {
                sum += tau[i];
            }
            int elected = sum >= 0 ? 1 : -1;
            double agreeing = 0;
            int count = 0;
            for (float[] tau : trimmed) {
                if ((elected > 0 && tau[i] > 0) || (elected < 0 && tau[i] < 0)) {
                    agreeing += tau[i];
                    count++;
                }
            }
            out[i] = count == 0 ? 0f : (float) (agreeing / count);
        }
        return out;
    }

    /** {@code expert - base}, elementwise. */
    public static float[] minus(float[] expert, float[] base) {
        float[] tau = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            tau[i] = expert[i] - base[i];
        }
        return tau;
    }
}
