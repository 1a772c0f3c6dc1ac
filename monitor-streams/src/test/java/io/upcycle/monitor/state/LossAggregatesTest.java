package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sums a run keeps up to date per changed example equal a full recomputation, bit for bit. */
class LossAggregatesTest {
    private static final double SIGNAL_THRESHOLD = 0.1;
    private static final double POLICY_THRESHOLD = 0.35;

    @Test
    void shouldEqualAFullRecomputationAfterEveryStepOfRandomStreams() {
        for (int seed = 1; seed <= 20; seed++) {
            // given a run of random size and a random stream: batches with repeated ids, some with
            // correctness and EL2N, full passes, the hard set fixed part-way, store round trips
            Random random = new Random(seed);
            int examples = 1 + random.nextInt(300);
            RunState run = RunState.started("run", "task", examples, 2, 8);
            StoredStates stored = new StoredStates();
            int fixAt = 1 + random.nextInt(30);
            for (int step = 1; step <= 60; step++) {
                // when
                boolean fullPass = step > 1 && random.nextInt(10) == 0;
                int size = fullPass ? examples : 1 + random.nextInt(Math.min(examples * 2, 64));
                int[] ids = new int[size];
                float[] losses = new float[size];
                for (int i = 0; i < size; i++) {
                    ids[i] = fullPass ? i : random.nextInt(examples);
                    losses[i] = lossOf(random);
                }
                boolean[] correct = random.nextBoolean() ? new boolean[0] : randomBooleans(random, size);
                float[] el2n = step < 5 || random.nextBoolean() ? new float[0] : randomFloats(random, size);
                if (step >= fixAt && !run.examples().difficultyFixed()) {
                    run.fixDifficulty(step - 1, 0.2, 0.5);
                }
                if (fullPass) {
                    run.applyFullPass(ids, losses, correct, el2n);
                } else {
                    run.applyLosses(step, ids, losses, correct, el2n);
                }
                if (random.nextInt(8) == 0) {
                    run = stored.roundTrip(run);
                }

                // then
                assertThat(run.summary(SIGNAL_THRESHOLD))
                        .as("seed %d, step %d", seed, step)
                        .isEqualTo(run.examples().summarize(run.latestLosses(), SIGNAL_THRESHOLD));
                assertThat(run.learnedCount(POLICY_THRESHOLD)).isEqualTo(scanLearned(run.latestLosses(), POLICY_THRESHOLD));
            }
            assertThat(run.examples().difficultyFixed()).as("the stream of seed %d fixed the hard set", seed).isTrue();
            assertThat(run.summary(SIGNAL_THRESHOLD).hardCount()).isPositive();
        }
    }

    @Test
    void shouldCountEachRepeatedIdOfABatchOnce() {
        // given a run whose sums are built
        RunState run = RunState.started("run", "task", 4, 2, 8);
        run.applyLosses(1, new int[] {0, 1}, new float[] {0.5f, 0.05f});
        assertThat(run.learnedCount(0.1)).isEqualTo(1);

        // when example 0 is reported three times in one step, ending learned
        run.applyLosses(2, new int[] {0, 0, 0}, new float[] {0.9f, 0.2f, 0.01f});

        // then
        assertThat(run.learnedCount(0.1)).isEqualTo(2);
        assertThat(run.summary(0.1).totalLoss()).isEqualTo(new ExactSumOf(0.01f, 0.05f).value());
    }

    private static float lossOf(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0f;
            case 1 -> (float) SIGNAL_THRESHOLD; // exactly at a threshold
            case 2 -> random.nextFloat() * 1e-30f; // tiny, possibly subnormal after rounding
            default -> random.nextFloat() * 3;
        };
    }

    private static boolean[] randomBooleans(Random random, int n) {
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextBoolean();
        }
        return out;
    }

    private static float[] randomFloats(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextFloat();
        }
        return out;
    }

    private static int scanLearned(float[] losses, double threshold) {
        int n = 0;
        for (float loss : losses) {
            n += loss < threshold ? 1 : 0;
        }
        return n;
    }

    /** An exact sum of the given values. */
    private static final class ExactSumOf {
        private final ExactSum sum = new ExactSum();

        ExactSumOf(float... values) {
            for (float v : values) {
                sum.add(v);
            }
        }

        double value() {
            return sum.value();
        }
    }
}
