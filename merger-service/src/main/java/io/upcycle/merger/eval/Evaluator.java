package io.upcycle.merger.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import java.util.Arrays;

/**
 * Scores an {@link NetworkTensors} on a split on whatever engine {@code manager} belongs to (the
 * merger uses TensorFlow): {@code logits = Wh relu(W1 relu(W0 (x - mean) / std + b0) + b1) + bh},
 * prediction = argmax, in batches so that memory stays bounded by the batch, not the split. Per
 * example it also gives EL2N, the difficulty score of Paul et al. (2021), for {@link DifficultySplit}.
 */
public final class Evaluator {
    private final NDManager manager;
    private final int batchSize;

    public Evaluator(NDManager manager, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, was " + batchSize);
        }
        this.manager = manager;
        this.batchSize = batchSize;
    }

    /** Fraction of {@code split} that {@code network} classifies correctly. */
    public Accuracy accuracy(NetworkTensors network, Split split) {
        return predict(network, split).accuracy();
    }

    /**
     * Per example of {@code split}: whether {@code network} classifies it correctly, and its EL2N
     * {@code ||softmax(logits) - onehot(label)||_2} (computed in double from the engine's logits).
     */
    public Predictions predict(NetworkTensors network, Split split) {
        if (split.dim() != network.inputDim()) {
            throw new IllegalArgumentException("split '" + split.name() + "' has dim " + split.dim()
                    + " but the network takes " + network.inputDim());
        }
        int classes = network.classes();
        boolean[] correct = new boolean[split.size()];
        double[] el2n = new double[split.size()];
        try (NDManager scope = manager.newSubManager()) {
            NDArray mean = create(scope, network.get(ExpertLayout.INPUT_MEAN));
            NDArray std = create(scope, network.get(ExpertLayout.INPUT_STD));
            NDArray w0 = create(scope, network.get(ExpertLayout.TRUNK0_WEIGHT)).transpose();
            NDArray b0 = create(scope, network.get(ExpertLayout.TRUNK0_BIAS));
            NDArray w1 = create(scope, network.get(ExpertLayout.TRUNK1_WEIGHT)).transpose();
            NDArray b1 = create(scope, network.get(ExpertLayout.TRUNK1_BIAS));
            NDArray wh = create(scope, network.get(ExpertLayout.HEAD_WEIGHT)).transpose();
            NDArray bh = create(scope, network.get(ExpertLayout.HEAD_BIAS));
            for (int start = 0; start < split.size(); start += batchSize) {
                int rows = Math.min(batchSize, split.size() - start);
                try (NDManager batch = scope.newSubManager()) {
                    float[] slice = Arrays.copyOfRange(split.features(), start * split.dim(), (start + rows) * split.dim());
                    NDArray x = batch.create(slice, new Shape(rows, split.dim())).sub(mean).div(std);
                    NDArray h1 = Activation.relu(x.matMul(w0).add(b0));
                    NDArray h2 = Activation.relu(h1.matMul(w1).add(b1));
                    float[] logits = h2.matMul(wh).add(bh).toFloatArray();
                    for (int i = 0; i < rows; i++) {
                        int label = split.labels()[start + i];
                        correct[start + i] = argMax(logits, i * classes, classes) == label;
                        el2n[start + i] = el2n(logits, i * classes, classes, label);
                    }
                }
            }
        }
        return new Predictions(correct, el2n);
    }

    /** First index of the largest logit of one row (ties go to the lower class, as argMax does). */
    static int argMax(float[] logits, int offset, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (logits[offset + c] > logits[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    /** {@code ||softmax(row) - onehot(label)||_2}, with the row's maximum subtracted for stability. */
    static double el2n(float[] logits, int offset, int classes, int label) {
        double max = logits[offset + argMax(logits, offset, classes)];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[offset + c] - max);
        }
        double squares = 0;
        for (int c = 0; c < classes; c++) {
            double diff = Math.exp(logits[offset + c] - max) / sum - (c == label ? 1 : 0);
            squares += diff * diff;
        }
        return Math.sqrt(squares);
    }

    private static NDArray create(NDManager manager, Tensor tensor) {
        return manager.create(tensor.data(), new Shape(tensor.shape()));
    }
}
