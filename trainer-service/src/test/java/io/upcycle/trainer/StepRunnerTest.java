package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.trainer.network.ExpertNetwork;
import io.upcycle.trainer.network.NetworkWeights;
import io.upcycle.trainer.network.PyTorchRuntime;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class StepRunnerTest {

    private static final int N = 256;
    private static final int DIM = ExpertLayout.INPUT_DIM;

    /** 256 examples of 2 classes separated along the first feature. */
    private static float[] separable(int[] y) {
        float[] x = new float[N * DIM];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < N; i++) {
            y[i] = i % 2;
            for (int d = 0; d < DIM; d++) {
                x[i * DIM + d] = (float) random.nextGaussian() + (d == 0 ? (y[i] == 0 ? -2f : 2f) : 0f);
            }
        }
        return x;
    }

    @Test
    void shouldTrainTwoExpertsOnTwoThreadsOfOneProcessAtOnce() throws Exception {
        // given two networks, each with its own runner, as the demo runs two experts concurrently
        int[] y = new int[N];
        float[] x = separable(y);
        Callable<Float> expert = () -> {
            try (ExpertNetwork network = ExpertNetwork.load(NetworkWeights.seeded(2, 5));
                    StepRunner runner = new StepRunner(network, 1e-3f)) {
                EpochSampler sampler = new EpochSampler(N, 64, 9);
                float loss = Float.NaN;
                for (int s = 0; s < 100; s++) {
                    loss = runner.step(x, y, sampler.next().exampleIds()).statistics().meanLoss();
                }
                return loss;
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // when
            var first = pool.submit(expert);
            var second = pool.submit(expert);

            // then both finish (DJL allows one gradient collector per process) and both learned
            assertThat(first.get()).isLessThan(0.2f);
            assertThat(second.get()).isLessThan(0.2f);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldLowerTheLossOnASeparableProblemWithoutGrowingMemory() {
        // given
        int n = N;
        int[] y = new int[n];
        float[] x = separable(y);
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

    @Test
    void shouldRecomputeAStepWhoseGradientTurnedNaNOnceAndUpdateExactlyAsAnUndisturbedStep() {
        // given two identical networks; the second's backward pass is broken on its third step's first attempt
        int[] y = new int[N];
        float[] x = separable(y);
        int[] faults = {0};
        try (ExpertNetwork clean = ExpertNetwork.load(NetworkWeights.seeded(2, 5));
                StepRunner cleanRunner = new StepRunner(clean, 1e-3f);
                ExpertNetwork disturbed = ExpertNetwork.load(NetworkWeights.seeded(2, 5));
                StepRunner disturbedRunner = new StepRunner(disturbed, 1e-3f)) {
            int[] attempts = {0};
            disturbedRunner.afterBackward(gradients -> {
                if (++attempts[0] == 3) {
                    gradients.get(0).set(nanFirst(gradients.get(0)));
                    faults[0]++;
                }
            });
            EpochSampler a = new EpochSampler(N, 64, 9);
            EpochSampler b = new EpochSampler(N, 64, 9);

            // when both run five steps
            StepRunner.StepOutcome expected = null;
            StepRunner.StepOutcome actual = null;
            for (int s = 0; s < 5; s++) {
                expected = cleanRunner.step(x, y, a.next().exampleIds());
                actual = disturbedRunner.step(x, y, b.next().exampleIds());
                assertThat(actual.gradientNorm()).isEqualTo(expected.gradientNorm());
            }

            // then the fault happened, was recomputed (6 attempts for 5 steps), and left no trace in the weights
            assertThat(faults[0]).isEqualTo(1);
            assertThat(attempts[0]).isEqualTo(6);
            assertThat(actual.statistics().meanLoss()).isEqualTo(expected.statistics().meanLoss());
            List<Tensor> cleanWeights = clean.export().tensors();
            List<Tensor> disturbedWeights = disturbed.export().tensors();
            assertThat(disturbedWeights).hasSameSizeAs(cleanWeights);
            for (int i = 0; i < cleanWeights.size(); i++) {
                assertThat(disturbedWeights.get(i).data()).as(cleanWeights.get(i).name())
                        .containsExactly(cleanWeights.get(i).data());
            }
        }
    }

    @Test
    void shouldReturnTheNonFiniteNormWhenTheRecomputedStepFailsToo() {
        // given a runner whose every backward pass yields a NaN gradient
        int[] y = new int[N];
        float[] x = separable(y);
        try (ExpertNetwork network = ExpertNetwork.load(NetworkWeights.seeded(2, 5));
                StepRunner runner = new StepRunner(network, 1e-3f)) {
            int[] attempts = {0};
            runner.afterBackward(gradients -> {
                attempts[0]++;
                gradients.get(0).set(nanFirst(gradients.get(0)));
            });

            // when
            StepRunner.StepOutcome outcome = runner.step(x, y, new EpochSampler(N, 64, 9).next().exampleIds());

            // then it tried twice and hands the NaN on, for the trainer to fail the run
            assertThat(attempts[0]).isEqualTo(StepRunner.ATTEMPTS);
            assertThat(outcome.gradientNorm()).isNaN();
            assertThat(outcome.statistics().meanLoss()).isFinite();
        }
    }

    /** The values of {@code gradient} with the first one NaN. */
    private static float[] nanFirst(NDArray gradient) {
        float[] values = gradient.toFloatArray();
        values[0] = Float.NaN;
        return values;
    }

    @Test
    void shouldMeasureAFiniteGradientWhoseSquaresOverflowFloat32AndOnlyANonFiniteOneAsInfinite() {
        try (NDManager manager = PyTorchRuntime.engine().newBaseManager()) {
            // given entries whose float32 squares overflow (3e19² > 3.4e38), spread over two arrays
            List<NDArray> large = List.of(manager.create(new float[] {3e19f}), manager.create(new float[] {4e19f}));

            // when / then the norm is still exact, and only a gradient with an infinite or NaN entry has no finite norm
            assertThat(StepRunner.l2Norm(large)).isCloseTo(5e19, within(1e13));
            assertThat(StepRunner.l2Norm(List.of(manager.create(new float[] {3f, 4f})))).isEqualTo(5.0);
            assertThat(StepRunner.l2Norm(List.of(manager.create(new float[] {1f, Float.POSITIVE_INFINITY})))).isInfinite();
            assertThat(StepRunner.l2Norm(List.of(manager.create(new float[] {1f, Float.NaN})))).isNaN();
        }
    }
}
