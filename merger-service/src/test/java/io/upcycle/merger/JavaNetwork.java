package io.upcycle.merger;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import java.util.Map;

/** The expert network's forward pass and EL2N in plain Java, of any size, to check the engine's numbers. */
final class JavaNetwork {
    private JavaNetwork() {
    }

    static float[] logits(Map<String, Tensor> n, float[] x) {
        float[] mean = n.get(ExpertLayout.INPUT_MEAN).data();
        float[] std = n.get(ExpertLayout.INPUT_STD).data();
        float[] z = new float[x.length];
        for (int d = 0; d < x.length; d++) {
            z[d] = (x[d] - mean[d]) / std[d];
        }
        float[] h1 = layer(n.get(ExpertLayout.TRUNK0_WEIGHT), n.get(ExpertLayout.TRUNK0_BIAS), z, true);
        float[] h2 = layer(n.get(ExpertLayout.TRUNK1_WEIGHT), n.get(ExpertLayout.TRUNK1_BIAS), h1, true);
        return layer(n.get(ExpertLayout.HEAD_WEIGHT), n.get(ExpertLayout.HEAD_BIAS), h2, false);
    }

    /** {@code ||softmax(logits) - onehot(label)||_2}. */
    static double el2n(float[] logits, int label) {
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

    private static float[] layer(Tensor weight, Tensor bias, float[] in, boolean relu) {
        int out = (int) weight.shape()[0];
        float[] result = new float[out];
        for (int o = 0; o < out; o++) {
            float sum = bias.data()[o];
            for (int i = 0; i < in.length; i++) {
                sum += weight.data()[o * in.length + i] * in[i];
            }
            result[o] = relu ? Math.max(0f, sum) : sum;
        }
        return result;
    }
}
