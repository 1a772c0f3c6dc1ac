package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.upcycle.model.ExpertLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StepRunnerTest {

    @Test
    void shouldLowerTheLossOnASeparableProblemWithoutGrowingMemory() {
        // given 256 examples of 2 classes separated along the first feature
        int n = 256;
        int dim = ExpertLayout.INPUT_DIM;
        float[] x = new float[n * dim];
        int[] y = new int[n];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = (float) random.nextGaussian() + (d == 0 ? (y[i] == 0 ? -2f : 2f) : 0f);
            }
        }
        try (ExpertNetwork network = ExpertNetwork.load(NetworkWeights.seeded(2, 5));
                StepRunner runner = new StepRunner(network, 1e-3f)) {
            EpochSampler sampler = new EpochSampler(n, 64, 9);
            NDManager manager = network.model().getNDManager();
            // when
            float first = runner.step(x, y, sampler.next().exampleIds()).statistics().meanLoss();
            runner.step(x, y, sampler.next().exampleIds());
            int arraysAfterWarmUp = manager.getManagedArrays().size();
            float last = first;
            for (int s = 0; s < 200; s++) {
                StepRunner.StepOutcome outcome = runner.step(x, y, sampler.next().exampleIds());
                last = outcome.statistics().meanLoss();
                assertThat(outcome.gradientNorm()).isPositive();
            }
            // then
            assertThat(last).isLessThan(first / 10);
            assertThat(manager.getManagedArrays().size()).isEqualTo(arraysAfterWarmUp);
        }
    }
}
