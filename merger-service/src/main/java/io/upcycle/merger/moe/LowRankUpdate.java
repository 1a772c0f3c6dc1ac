package io.upcycle.merger.moe;

import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import java.util.Arrays;

/**
 * One expert's update at one layer, kept factored: {@code ΔW x = scale · B (A x)} with
 * {@code A [rank, in]}, {@code B [out, rank]} (row-major) and {@code scale = alpha / r}, as PEFT's
 * LoRA computes it. Any size, so that the MoE math is testable on tiny hand-made matrices.
 */
public record LowRankUpdate(int in, int out, int rank, float scale, float[] a, float[] b) {

    public LowRankUpdate {
        if (in <= 0 || out <= 0 || rank <= 0) {
            throw new IllegalArgumentException("low-rank update needs positive sizes, got in=" + in + ", out=" + out + ", rank=" + rank);
        }
        if (a.length != rank * in || b.length != out * rank) {
            throw new IllegalArgumentException("low-rank update of rank " + rank + " (" + out + " x " + in + ") needs A of "
                    + rank * in + " and B of " + out * rank + " values, got " + a.length + " and " + b.length);
        }
    }

    /** The adapter's factors and {@code alpha / r} at {@code target} ({@code trunk.0} or {@code trunk.1}). */
    public static LowRankUpdate of(LoraAdapter adapter, String target) {
        if (!adapter.targets().contains(target)) {
            throw new IllegalArgumentException("LoRA adapter does not target layer '" + target + "' (targets " + adapter.targets() + ")");
        }
        return new LowRankUpdate(LoraLayout.inDim(target), LoraLayout.outDim(target), adapter.rank(), adapter.scale(),
                adapter.a().get(target).data(), adapter.b().get(target).data());
    }

    /** {@code A x}, in double. */
    double[] down(float[] x) {
        double[] h = new double[rank];
        for (int k = 0; k < rank; k++) {
            double sum = 0;
            for (int i = 0; i < in; i++) {
                sum += (double) a[k * in + i] * x[i];
            }
            h[k] = sum;
        }
        return h;
    }

    /** {@code y += gate · scale · B A x}. */
    void addTo(double[] y, float[] x, double gate) {
        double[] h = down(x);
        double factor = gate * scale;
        for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int k = 0; k < rank; k++) {
                sum += (double) b[o * rank + k] * h[k];
            }
            y[o] += factor * sum;
        }
    }

    /** The dense {@code scale · B A}, {@code [out, in]} row-major. */
    public float[] dense() {
        float[] w = new float[out * in];
        double[] row = new double[in];
        for (int o = 0; o < out; o++) {
            Arrays.fill(row, 0);
            for (int k = 0; k < rank; k++) {
                double bok = b[o * rank + k];
                for (int i = 0; i < in; i++) {
                    row[i] += bok * a[k * in + i];
                }
            }
            for (int i = 0; i < in; i++) {
                w[o * in + i] = (float) (scale * row[i]);
            }
        }
        return w;
    }
}
