package io.upcycle.merger.moe;

import java.util.List;

/**
 * One upcycled layer: {@code y = relu(W0 x + b0 + Σ_{i ∈ topK(x)} g_i(x) · (alpha/r) B_i A_i x)}, the
 * frozen base layer plus the routed experts' low-rank updates, ReLU as in the base trunk.
 *
 * @param weight the base weight {@code [out, in]} row-major
 * @param bias the base bias {@code [out]}
 * @param experts each expert's update at this layer, in expert order
 * @param router scores the experts from this layer's input
 * @param topK how many experts each input uses
 */
public record MoeLayer(int in, int out, float[] weight, float[] bias, List<LowRankUpdate> experts, LayerRouter router, int topK) {

    /** The layer's output and the gates that produced it. */
    public record Output(float[] y, Gates gates) {
    }

    public MoeLayer {
        experts = List.copyOf(experts);
        if (weight.length != out * in || bias.length != out) {
            throw new IllegalArgumentException("MoE layer " + out + " x " + in + " needs " + out * in + " weights and " + out
                    + " biases, got " + weight.length + " and " + bias.length);
        }
        if (experts.isEmpty() || router.experts() != experts.size()) {
            throw new IllegalArgumentException("MoE layer has " + experts.size() + " experts but its router scores " + router.experts());
        }
        for (LowRankUpdate e : experts) {
            if (e.in() != in || e.out() != out) {
                throw new IllegalArgumentException("expert update " + e.out() + " x " + e.in() + " on a layer " + out + " x " + in);
            }
        }
        if (topK <= 0 || topK > experts.size()) {
            throw new IllegalArgumentException("top_k must be in [1, " + experts.size() + "], was " + topK);
        }
    }

    /** Routes {@code x}, then applies base and chosen experts. */
    public Output forward(float[] x) {
        Gates gates = Gates.topK(router.logits(x), topK);
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double sum = bias[o];
            for (int i = 0; i < in; i++) {
                sum += (double) weight[o * in + i] * x[i];
            }
            y[o] = sum;
        }
        for (int j = 0; j < gates.experts().length; j++) {
            experts.get(gates.experts()[j]).addTo(y, x, gates.weights()[j]);
        }
        float[] result = new float[out];
        for (int o = 0; o < out; o++) {
            result[o] = (float) Math.max(0, y[o]);
        }
        return new Output(result, gates);
    }
}
