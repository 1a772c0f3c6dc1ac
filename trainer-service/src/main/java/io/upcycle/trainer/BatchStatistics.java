package io.upcycle.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * What one batch tells about each of its examples: cross-entropy loss, whether the prediction was
 * right, and EL2N ({@code ||softmax(f(x)) - onehot(y)||2}), as parallel arrays in batch order,
 * plus the batch loss (the mean of the per-example losses, which is what the optimizer minimizes).
 */
public record BatchStatistics(float meanLoss, float[] losses, boolean[] correct, float[] el2n) {

    /**
     * Per-example cross-entropy {@code -log softmax(logits)[y]} as a {@code batch} vector, on the
     * autograd tape when {@code logits} is. DJL's built-in losses always average, hence this.
     *
     * @param labels class indices, int64, one per row of {@code logits}
     */
    public static NDArray perExampleLoss(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).get(new NDIndex().addAllDim().addPickDim(labels)).neg().reshape(-1);
    }

    /**
     * Copies losses, correctness and EL2N to Java in one transfer. Works on detached arrays, so
     * nothing here is recorded for backpropagation; temporaries land in {@code logits}' manager.
     */
    public static BatchStatistics read(NDArray logits, NDArray labels, NDArray perExampleLoss, float meanLoss) {
        NDArray detached = logits.stopGradient();
        int classes = (int) detached.getShape().get(1);
        NDArray el2n = detached.softmax(1).sub(labels.oneHot(classes)).square().sum(new int[] {1}).sqrt();
        NDArray correct = detached.argMax(1).eq(labels).toType(DataType.FLOAT32, false);
        NDArray stacked = NDArrays.stack(new NDList(perExampleLoss.stopGradient(), correct, el2n));
        float[] all = stacked.toFloatArray();
        int n = all.length / 3;
        float[] losses = new float[n];
        boolean[] right = new boolean[n];
        float[] norms = new float[n];
        System.arraycopy(all, 0, losses, 0, n);
        for (int i = 0; i < n; i++) {
            right[i] = all[n + i] > 0.5f;
        }
        System.arraycopy(all, 2 * n, norms, 0, n);
        return new BatchStatistics(meanLoss, losses, right, norms);
    }
}
