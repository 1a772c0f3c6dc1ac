package io.upcycle.merger.moe;

import io.upcycle.model.checkpoint.Tensor;
import java.util.List;

/**
 * A learned router for one layer: {@code logits = W_r x + b_r}, {@code W_r [experts, in]}
 * row-major; trained by {@link RouterTraining}.
 */
public final class LinearRouter implements LayerRouter {
    private final int experts;
    private final int in;
    private final float[] weight;
    private final float[] bias;

    public LinearRouter(int experts, int in, float[] weight, float[] bias) {
        if (weight.length != experts * in || bias.length != experts) {
            throw new IllegalArgumentException("router of " + experts + " experts on inputs of width " + in + " needs "
                    + experts * in + " weights and " + experts + " biases, got " + weight.length + " and " + bias.length);
        }
        this.experts = experts;
        this.in = in;
        this.weight = weight;
        this.bias = bias;
    }

    @Override
    public float[] logits(float[] x) {
        if (x.length != in) {
            throw new IllegalArgumentException("input of width " + x.length + " for a router on width " + in);
        }
        float[] logits = new float[experts];
        for (int e = 0; e < experts; e++) {
            double sum = bias[e];
            for (int i = 0; i < in; i++) {
                sum += (double) weight[e * in + i] * x[i];
            }
            logits[e] = (float) sum;
        }
        return logits;
    }

    @Override
    public int experts() {
        return experts;
    }

    /** {@code <prefix>weight [experts, in]} and {@code <prefix>bias [experts]}. */
    @Override
    public List<Tensor> tensors(String prefix) {
        return List.of(Tensor.of(prefix + "weight", weight.clone(), experts, in), Tensor.of(prefix + "bias", bias.clone(), experts));
    }
}
