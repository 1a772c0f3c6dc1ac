package io.upcycle.merger;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import java.util.Map;

/**
 * The expert network's forward pass and EL2N in plain Java (independent of the engines and of the
 * merge and MoE code), of any size, to label test data and check the engine's numbers.
 */
public final class JavaNetwork {
    private JavaNetwork() {
    }

    public static float[] logits(Map<String, Tensor> n, float[] x) {
        float[] mean = n.get(ExpertLayout.INPUT_MEAN).data();
        float[] std = n.get(ExpertLayout.INPUT_STD).data();
        float[] z = new float[x.length];
        for (int d = 0; d < x.length; d++) {
            z[d] = (x[d] - mean[d]) / std[d];
        }
        float[] h1 = layer(n.get(ExpertLayout.TRUNK0_WEIGHT).data(), n.get(ExpertLayout.TRUNK0_BIAS).data(), z, true);
        float[] h2 = layer(n.get(ExpertLayout.TRUNK1_WEIGHT).data(), n.get(ExpertLayout.TRUNK1_BIAS).data(), h1, true);
        return layer(n.get(ExpertLayout.HEAD_WEIGHT).data(), n.get(ExpertLayout.HEAD_BIAS).data(), h2, false);
    }

    /** {@code ||softmax(logits) - onehot(label)||_2}. */
    public static double el2n(float[] logits, int label) {
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l);
        }
        double squares = 0;
        for (int c = 0; c < logits.length; c++) {
            double diff = Math.exp(logits[c]) / sum - (c == label ? 1 : 0);
            squares += diff * diff;
        }
        return Math.sqrt(squares);
    }

    /** {@code relu?(W x + b)} with {@code W [b.length, x.length]} row-major, summed in double. */
    public static float[] layer(float[] weight, float[] bias, float[] in, boolean relu) {
        float[] result = new float[bias.length];
        for (int o = 0; o < bias.length; o++) {
            double sum = bias[o];
            for (int i = 0; i < in.length; i++) {
                sum += (double) weight[o * in.length + i] * in[i];
            }
            result[o] = (float) (relu ? Math.max(0, sum) : sum);
        }
        return result;
    }
}
