package io.upcycle.model;

import java.util.List;

/**
 * The one place that names the expert network's tensors, shared by the trainer (which writes
 * them) and the merger (which reads, merges and evaluates them).
 *
 * <p>The network is a trunk of two ReLU layers on standardized sentence embeddings plus one
 * linear head per task: {@code x' = (x - input.mean) / input.std},
 * {@code h1 = relu(W0 x' + b0)}, {@code h2 = relu(W1 h1 + b1)}, {@code logits = Wh h2 + bh}.
 * Weights are stored {@code [out, in]} (PyTorch's convention), float32, in safetensors files.
 * Every checkpoint carries the input standardization so that it can be evaluated on its own.
 */
public final class ExpertLayout {
    /** Width of the all-MiniLM-L6-v2 sentence embedding. */
    public static final int INPUT_DIM = 384;
    /** Width of both hidden layers of the trunk. */
    public static final int HIDDEN_DIM = 256;

    public static final String INPUT_MEAN = "input.mean";
    public static final String INPUT_STD = "input.std";
    public static final String TRUNK0_WEIGHT = "trunk.0.weight";
    public static final String TRUNK0_BIAS = "trunk.0.bias";
    public static final String TRUNK1_WEIGHT = "trunk.1.weight";
    public static final String TRUNK1_BIAS = "trunk.1.bias";
    public static final String HEAD_WEIGHT = "head.weight";
    public static final String HEAD_BIAS = "head.bias";

    /** The tensors that merging combines across experts (task vectors live here). */
    public static final List<String> TRUNK = List.of(TRUNK0_WEIGHT, TRUNK0_BIAS, TRUNK1_WEIGHT, TRUNK1_BIAS);
    /** The per-task tensors that each expert keeps for itself. */
    public static final List<String> HEAD = List.of(HEAD_WEIGHT, HEAD_BIAS);
    /** Standardization, copied from the base into every checkpoint, never merged. */
    public static final List<String> INPUT = List.of(INPUT_MEAN, INPUT_STD);

    private ExpertLayout() {
    }

    /** Shape of a named tensor for a head with {@code classes} outputs. */
    public static long[] shape(String name, int classes) {
        return switch (name) {
            case INPUT_MEAN, INPUT_STD -> new long[] {INPUT_DIM};
            case TRUNK0_WEIGHT -> new long[] {HIDDEN_DIM, INPUT_DIM};
            case TRUNK1_WEIGHT -> new long[] {HIDDEN_DIM, HIDDEN_DIM};
            case TRUNK0_BIAS, TRUNK1_BIAS -> new long[] {HIDDEN_DIM};
            case HEAD_WEIGHT -> new long[] {classes, HIDDEN_DIM};
            case HEAD_BIAS -> new long[] {classes};
            default -> throw new IllegalArgumentException("unknown tensor '" + name + "' in the expert layout");
        };
    }
}
