package io.upcycle.merger.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import io.upcycle.model.tasks.TaskData;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
    private static final int DIM = 6;

    /** Identity standardization and an identity-like trunk: features = relu(x), so labels of x are linearly readable. */
    private static Map<String, Tensor> base() {
        float[] eye = new float[DIM * DIM];
        for (int i = 0; i < DIM; i++) {
            eye[i * DIM + i] = 1f;
        }
        float[] ones = new float[DIM];
        java.util.Arrays.fill(ones, 1f);
        return Map.of(ExpertLayout.INPUT_MEAN, Tensor.of(ExpertLayout.INPUT_MEAN, new float[DIM], DIM),
                ExpertLayout.INPUT_STD, Tensor.of(ExpertLayout.INPUT_STD, ones, DIM),
                ExpertLayout.TRUNK0_WEIGHT, Tensor.of(ExpertLayout.TRUNK0_WEIGHT, eye, DIM, DIM),
                ExpertLayout.TRUNK0_BIAS, Tensor.of(ExpertLayout.TRUNK0_BIAS, new float[DIM], DIM),
                ExpertLayout.TRUNK1_WEIGHT, Tensor.of(ExpertLayout.TRUNK1_WEIGHT, eye.clone(), DIM, DIM),
                ExpertLayout.TRUNK1_BIAS, Tensor.of(ExpertLayout.TRUNK1_BIAS, new float[DIM], DIM));
    }

    /** Positive inputs; the label is the index of the largest of the first three features, or random noise. */
    private static Split split(String name, int rows, Random random, boolean noise) {
        float[] features = new float[rows * DIM];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int d = 0; d < DIM; d++) {
                features[r * DIM + d] = random.nextFloat();
                if (d < 3 && features[r * DIM + d] > features[r * DIM + best]) {
                    best = d;
                }
            }
            labels[r] = noise ? random.nextInt(3) : best;
        }
        return new Split(name, DIM, features, labels);
    }

    private static TaskData task(boolean noise) {
        Random random = new Random(7);
        return new TaskData("t", List.of("a", "b", "c"), split("train", 600, random, noise), split("validation", 200, random, noise),
                split("test", 400, random, noise), 7, "f");
    }

    @Test
    void shouldReadALinearlyDecodableLabelFromTheFrozenFeatures() {
        // when
        LinearProbe.Result result = new LinearProbe(40, 0.05, 1).fit(base(), task(false));

        // then
        assertThat(result.testAccuracy()).isGreaterThan(0.9);
        assertThat(result.validationAccuracy()).isGreaterThan(0.9);
        assertThat(result.testExamples()).isEqualTo(400);
        assertThat(result.bestEpoch()).isBetween(1, 40);
    }

    @Test
    void shouldReturnTheKeptHeadAsTheNetworksHeadTensorsScoringTheReportedTestAccuracy() {
        // given
        TaskData task = task(false);
        // when
        LinearProbe.Result result = new LinearProbe(40, 0.05, 1).fit(base(), task);
        // then the head has the network's names and shapes, and on the base's features it scores what the probe said
        Tensor weight = result.head().get(0);
        Tensor bias = result.head().get(1);
        assertThat(weight.name()).isEqualTo(ExpertLayout.HEAD_WEIGHT);
        assertThat(weight.shape()).containsExactly(3, DIM);
        assertThat(bias.name()).isEqualTo(ExpertLayout.HEAD_BIAS);
        float[][] features = LinearProbe.features(base(), task.test());
        int correct = 0;
        for (int i = 0; i < features.length; i++) {
            int argMax = 0;
            double bestLogit = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                double logit = bias.data()[c];
                for (int d = 0; d < DIM; d++) {
                    logit += weight.data()[c * DIM + d] * features[i][d];
                }
                if (logit > bestLogit) {
                    bestLogit = logit;
                    argMax = c;
                }
            }
            correct += argMax == task.test().labels()[i] ? 1 : 0;
        }
        assertThat((double) correct / features.length).isCloseTo(result.testAccuracy(), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void shouldStayNearChanceWhenLabelsAreNoise() {
        // when
        LinearProbe.Result result = new LinearProbe(20, 0.05, 1).fit(base(), task(true));

        // then: three classes, random labels: nothing to read, whatever validation picked
        assertThat(result.testAccuracy()).isBetween(0.2, 0.5);
    }

    @Test
    void shouldBeDeterministicForOneSeed() {
        assertThat(new LinearProbe(5, 0.05, 3).fit(base(), task(false))).isEqualTo(new LinearProbe(5, 0.05, 3).fit(base(), task(false)));
    }

    @Test
    void shouldRefuseABaseWithoutTrunkTensors() {
        assertThatThrownBy(() -> new LinearProbe(5, 0.05, 3).fit(Map.of(), task(false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input.mean");
    }
}
