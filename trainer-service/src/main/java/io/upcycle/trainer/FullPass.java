package io.upcycle.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.model.ExpertLayout;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.trainer.events.RunRecords;
import io.upcycle.trainer.network.ExpertNetwork;

/**
 * A no-gradient pass over the whole training split with the current weights, as one
 * {@link ExampleLosses} record flagged {@code fullPass} whose example ids are 0..n-1, so that a
 * consumer sees every example's current loss, not only those of recent batches.
 */
final class FullPass {
    private static final int CHUNK = 2048;

    private FullPass() {
    }

    static ExampleLosses of(RunRecords records, long step, ExpertNetwork network, float[] standardized, int[] labels) {
        int dim = ExpertLayout.INPUT_DIM;
        int n = labels.length;
        float[] losses = new float[n];
        boolean[] correct = new boolean[n];
        float[] el2n = new float[n];
        int[] ids = new int[n];
        double sum = 0;
        try (NDManager manager = network.model().getNDManager().newSubManager()) {
            for (int start = 0; start < n; start += CHUNK) {
                int size = Math.min(CHUNK, n - start);
                float[] x = new float[size * dim];
                System.arraycopy(standardized, start * dim, x, 0, size * dim);
                long[] y = new long[size];
                for (int i = 0; i < size; i++) {
                    y[i] = labels[start + i];
                    ids[start + i] = start + i;
                }
                try (NDManager chunk = manager.newSubManager()) {
                    NDArray targets = chunk.create(y);
                    NDArray logits = network.logits(chunk.create(x, new Shape(size, dim)));
                    NDArray perExample = BatchStatistics.perExampleLoss(logits, targets);
                    BatchStatistics stats = BatchStatistics.read(logits, targets, perExample, Float.NaN);
                    System.arraycopy(stats.losses(), 0, losses, start, size);
                    System.arraycopy(stats.correct(), 0, correct, start, size);
                    System.arraycopy(stats.el2n(), 0, el2n, start, size);
                }
            }
        }
        for (float loss : losses) {
            sum += loss;
        }
        ExampleLosses record = records.losses(step, ids, new BatchStatistics((float) (sum / n), losses, correct, el2n));
        record.setFullPass(true);
        return record;
    }
}
