package io.upcycle.merger.moe;

import io.upcycle.model.LoraLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upcycled trunk: the base's input standardization {@code (x - mean) / std}, then the MoE layers
 * in order. Each task then applies its own head to the output.
 */
public record MoeTrunk(float[] mean, float[] std, List<MoeLayer> layers) {

    /** The trunk's output and, per layer, the gates each layer used. */
    public record Pass(float[] hidden, List<Gates> gates) {
    }

    public MoeTrunk {
        layers = List.copyOf(layers);
        if (mean.length != std.length || layers.isEmpty() || layers.get(0).in() != mean.length) {
            throw new IllegalArgumentException("MoE trunk: standardization of width " + mean.length + "/" + std.length
                    + " does not fit its first layer");
        }
    }

    /** Each layer's router by the layer it routes ({@link LoraLayout#TARGETS}, in order). */
    public Map<String, LayerRouter> routers() {
        Map<String, LayerRouter> routers = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            routers.put(LoraLayout.TARGETS.get(l), layers.get(l).router());
        }
        return routers;
    }

    /** {@code (x - mean) / std}: what the first layer (and its router) sees. */
    public float[] standardize(float[] raw) {
        return standardize(raw, mean, std);
    }

    /** {@code (raw - mean) / std}, element-wise. */
    static float[] standardize(float[] raw, float[] mean, float[] std) {
        if (raw.length != mean.length) {
            throw new IllegalArgumentException("input of width " + raw.length + " for a trunk of width " + mean.length);
        }
        float[] x = new float[raw.length];
        for (int d = 0; d < raw.length; d++) {
            x[d] = (raw[d] - mean[d]) / std[d];
        }
        return x;
    }

    /** The full pass on a raw embedding. */
    public Pass forward(float[] raw) {
        float[] h = standardize(raw);
        List<Gates> gates = new ArrayList<>(layers.size());
        for (MoeLayer layer : layers) {
            MoeLayer.Output output = layer.forward(h);
            gates.add(output.gates());
            h = output.y();
        }
        return new Pass(h, gates);
    }

    /** {@code logits = Wh h + bh} for a head {@code [classes, hidden]}. */
    public static float[] head(float[] hidden, float[] weight, float[] bias) {
        int classes = bias.length;
        float[] logits = new float[classes];
        for (int c = 0; c < classes; c++) {
            double sum = bias[c];
            for (int i = 0; i < hidden.length; i++) {
                sum += (double) weight[c * hidden.length + i] * hidden[i];
            }
            logits[c] = (float) sum;
        }
        return logits;
    }
}
