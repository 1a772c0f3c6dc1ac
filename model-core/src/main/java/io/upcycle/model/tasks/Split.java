package io.upcycle.model.tasks;

import java.util.Arrays;

/**
 * One split of a task: raw sentence embeddings, row-major {@code size() x dim}, and their labels.
 * An example's id is its row index in the split (0..n-1); the trainer reports per-example losses
 * under these ids, and they are stable for a given task, seed and data.
 */
public record Split(String name, int dim, float[] features, int[] labels) {
    public Split {
        if (dim <= 0) {
            throw new IllegalArgumentException("split " + name + ": dim must be positive, got " + dim);
        }
        if (features.length != (long) labels.length * dim) {
            throw new IllegalArgumentException("split " + name + ": " + features.length + " features for "
                    + labels.length + " labels of dim " + dim);
        }
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** A copy of example {@code i}'s features. */
    public float[] row(int i) {
        return Arrays.copyOfRange(features, i * dim, (i + 1) * dim);
    }
}
