package io.upcycle.merger.moe;

import io.upcycle.model.checkpoint.Tensor;
import java.util.List;

/**
 * Arrow's training-free router for one layer: {@code logit_i(x) = |<v_i, x>|} with {@code v_i} the
 * {@link ArrowPrototypes prototype} of expert {@code i}'s update at this layer. The absolute value
 * makes the routing independent of the singular vector's arbitrary sign.
 */
public final class ArrowRouter implements LayerRouter {
    private final float[][] prototypes;

    public ArrowRouter(float[][] prototypes) {
        if (prototypes.length == 0) {
            throw new IllegalArgumentException("an Arrow router needs at least one prototype");
        }
        for (float[] p : prototypes) {
            if (p.length != prototypes[0].length) {
                throw new IllegalArgumentException("Arrow prototypes differ in width: " + p.length + " vs " + prototypes[0].length);
            }
        }
        this.prototypes = prototypes.clone();
    }

    /** The router of one layer whose experts are {@code updates}; prototypes start from vectors drawn with {@code seed}. */
    public static ArrowRouter of(List<LowRankUpdate> updates, long seed) {
        float[][] prototypes = new float[updates.size()][];
        for (int i = 0; i < prototypes.length; i++) {
            prototypes[i] = ArrowPrototypes.prototype(updates.get(i), seed + i);
        }
        return new ArrowRouter(prototypes);
    }

    @Override
    public float[] logits(float[] x) {
        float[] logits = new float[prototypes.length];
        for (int e = 0; e < prototypes.length; e++) {
            float[] v = prototypes[e];
            if (v.length != x.length) {
                throw new IllegalArgumentException("input of width " + x.length + " for Arrow prototypes of width " + v.length);
            }
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += (double) v[i] * x[i];
            }
            logits[e] = (float) Math.abs(dot);
        }
        return logits;
    }

    @Override
    public int experts() {
        return prototypes.length;
    }

    /** The prototypes as {@code <prefix>prototypes}, {@code [experts, in]}. */
    @Override
    public List<Tensor> tensors(String prefix) {
        int in = prototypes[0].length;
        float[] data = new float[prototypes.length * in];
        for (int e = 0; e < prototypes.length; e++) {
            System.arraycopy(prototypes[e], 0, data, e * in, in);
        }
        return List.of(Tensor.of(prefix + "prototypes", data, prototypes.length, in));
    }

    float[] prototype(int expert) {
        return prototypes[expert].clone();
    }
}
