package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.upcycle.trainer.network.PyTorchRuntime;
import org.junit.jupiter.api.Test;

class BatchStatisticsTest {

    @Test
    void shouldAveragePerExampleLossesToTheBatchLoss() {
        // given logits for 4 examples, 3 classes, and their labels
        float[] logits = {2f, 0.5f, -1f, 0f, 0f, 0f, -3f, 1f, 4f, 0.2f, 0.1f, 5f};
        long[] labels = {0, 1, 2, 0};
        try (NDManager manager = PyTorchRuntime.engine().newBaseManager()) {
            NDArray x = manager.create(logits, new Shape(4, 3));
            NDArray y = manager.create(labels);
            // when
            NDArray perExample = BatchStatistics.perExampleLoss(x, y);
            float mean = perExample.mean().getFloat();
            BatchStatistics stats = BatchStatistics.read(x, y, perExample, mean);
            // then each loss is -log softmax at the label, computed here by hand
            for (int i = 0; i < 4; i++) {
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    sum += Math.exp(logits[i * 3 + c]);
                }
                double expected = -(logits[i * 3 + (int) labels[i]] - Math.log(sum));
                assertThat((double) stats.losses()[i]).isCloseTo(expected, within(1e-5));
            }
            double average = (stats.losses()[0] + stats.losses()[1] + stats.losses()[2] + stats.losses()[3]) / 4.0;
            assertThat((double) stats.meanLoss()).isCloseTo(average, within(1e-6));
        }
    }

    @Test
    void shouldReportCorrectnessAndEl2nPerExample() {
        // given one confident right answer and one uniform guess
        try (NDManager manager = PyTorchRuntime.engine().newBaseManager()) {
            NDArray x = manager.create(new float[] {10f, -10f, 0f, 0f}, new Shape(2, 2));
            NDArray y = manager.create(new long[] {0, 1});
            // when
            NDArray perExample = BatchStatistics.perExampleLoss(x, y);
            BatchStatistics stats = BatchStatistics.read(x, y, perExample, perExample.mean().getFloat());
            // then: a tie predicts class 0 (argmax takes the first), and EL2N of a uniform guess over
            // two classes is sqrt(0.5^2 + 0.5^2)
            assertThat(stats.correct()).containsExactly(true, false);
            assertThat((double) stats.el2n()[0]).isCloseTo(Math.sqrt(2) * (1 / (1 + Math.exp(20))), within(1e-6));
            assertThat((double) stats.el2n()[1]).isCloseTo(Math.sqrt(0.5), within(1e-6));
        }
    }

    @Test
    void shouldBackpropagateTheMeanOfPerExampleLosses() {
        // given a leaf array that records gradients
        try (NDManager manager = PyTorchRuntime.engine().newBaseManager()) {
            NDArray x = manager.create(new float[] {1f, 2f, 3f, 1f}, new Shape(2, 2));
            x.setRequiresGradient(true);
            NDArray y = manager.create(new long[] {1, 0});
            // when
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(BatchStatistics.perExampleLoss(x, y).mean());
            }
            // then d(mean CE)/dlogits = (softmax - onehot) / batch
            float[] grad = x.getGradient().toFloatArray();
            double p0 = 1 / (1 + Math.exp(1));
            assertThat((double) grad[0]).isCloseTo(p0 / 2, within(1e-6));
            assertThat((double) grad[1]).isCloseTo((1 - p0 - 1) / 2, within(1e-6));
        }
    }
}
