package io.upcycle.merger.moe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RouterTrainingTest {
    private static final int DIM = 8;
    private static final int TASKS = 3;

    @Test
    void shouldSeparateLinearlySeparableTasks() {
        // given three tasks around different centres, the middle one with few examples
        Random random = new Random(11);
        float[][] centres = new float[TASKS][DIM];
        for (int t = 0; t < TASKS; t++) {
            centres[t][2 * t] = 3f;
            centres[t][2 * t + 1] = -2f;
        }
        int[] counts = {200, 20, 200};
        Sample train = sample(random, centres, counts);
        Sample test = sample(random, centres, new int[] {100, 100, 100});

        // when
        LinearRouter router = RouterTraining.train(train.x, train.task, TASKS, 10, 0.05, 4L);

        // then fresh examples of every task go to their own task's expert
        int[] right = new int[TASKS];
        for (int i = 0; i < test.x.length; i++) {
            right[test.task[i]] += Gates.topK(router.logits(test.x[i]), 1).top1() == test.task[i] ? 1 : 0;
        }
        assertThat(java.util.Arrays.stream(right).min().getAsInt()).as(java.util.Arrays.toString(right)).isGreaterThanOrEqualTo(97);
        // and training is reproducible from the seed
        LinearRouter again = RouterTraining.train(train.x, train.task, TASKS, 10, 0.05, 4L);
        assertThat(again.logits(test.x[0])).containsExactly(router.logits(test.x[0]));
    }

    private record Sample(float[][] x, int[] task) {
    }

    private static Sample sample(Random random, float[][] centres, int[] counts) {
        int n = java.util.Arrays.stream(counts).sum();
        float[][] x = new float[n][DIM];
        int[] task = new int[n];
        int row = 0;
        for (int t = 0; t < counts.length; t++) {
            for (int c = 0; c < counts[t]; c++, row++) {
                for (int d = 0; d < DIM; d++) {
                    x[row][d] = centres[t][d] + 0.5f * (float) random.nextGaussian();
                }
                task[row] = t;
            }
        }
        return new Sample(x, task);
    }
}
