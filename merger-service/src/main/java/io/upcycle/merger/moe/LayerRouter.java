package io.upcycle.merger.moe;

import io.upcycle.model.checkpoint.Tensor;
import java.util.List;

/**
 * Scores the experts of one MoE layer for one input (the layer's input, as the base layer sees it);
 * {@link Gates#topK} turns the logits into the experts used and their weights.
 */
public interface LayerRouter {

    /** One logit per expert. */
    float[] logits(float[] x);

    /** How many experts it scores. */
    int experts();

    /** What the output file stores for it, each name starting with {@code prefix}. */
    List<Tensor> tensors(String prefix);
}
