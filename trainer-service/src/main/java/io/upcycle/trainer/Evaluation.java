package io.upcycle.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.model.ExpertLayout;
import io.upcycle.trainer.network.ExpertNetwork;

/** Mean cross-entropy and accuracy of a network on a standardized split, in chunks. */
public final class Evaluation {
    private static final int CHUNK = 2048;

    /** Loss and accuracy over {@code examples} examples (NaN for an empty split). */
    public record Score(double loss, double accuracy, int examples) {
    }

    private Evaluation() {
    }

    public static Score of(ExpertNetwork network, float[] standardized, int[] labels) {
        int dim = ExpertLayout.INPUT_DIM;
        int n = labels.length;
        if (n == 0) {
            return new Score(Double.NaN, Double.NaN, 0);
        }
        double lossSum = 0;
        long right = 0;
        try (NDManager manager = network.model().getNDManager().newSubManager()) {
            for (int start = 0; start < n; start += CHUNK) {
                int size = Math.min(CHUNK, n - start);
                float[] x = new float[size * dim];
                System.arraycopy(standardized, start * dim, x, 0, size * dim);
                long[] y = new long[size];
                for (int i = 0; i < size; i++) {
                    y[i] = labels[start + i];
                }
                try (NDManager chunk = manager.newSubManager()) {
                    NDArray targets = chunk.create(y);
                    NDArray logits = network.logits(chunk.create(x, new Shape(size, dim)));
                    lossSum += BatchStatistics.perExampleLoss(logits, targets).sum().getFloat();
                    right += logits.argMax(1).eq(targets).countNonzero().getLong();
                }
            }
        }
        return new Score(lossSum / n, (double) right / n, n);
    }
}
