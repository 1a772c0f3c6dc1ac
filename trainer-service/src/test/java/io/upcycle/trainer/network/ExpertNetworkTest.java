package io.upcycle.trainer.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.trainer.network.ExpertNetwork;
import io.upcycle.trainer.network.InputStandardization;
import io.upcycle.trainer.network.NetworkWeights;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExpertNetworkTest {

    @Test
    void shouldExportExactlyTheWeightsItWasLoadedWith() {
        // given seeded weights with a non-trivial standardization
        float[] mean = new float[ExpertLayout.INPUT_DIM];
        float[] std = new float[ExpertLayout.INPUT_DIM];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) random.nextGaussian();
            std[i] = (float) random.nextDouble(0.1, 2);
        }
        NetworkWeights weights = NetworkWeights.seeded(5, 42).withStandardization(new InputStandardization(mean, std));
        // when they go into the engine and out again, twice
        NetworkWeights once;
        try (ExpertNetwork network = ExpertNetwork.load(weights)) {
            once = network.export();
        }
        NetworkWeights twice;
        try (ExpertNetwork network = ExpertNetwork.load(once)) {
            twice = network.export();
        }
        // then every tensor is bit-identical, in layout order and shape
        assertThat(twice.tensors()).extracting(Tensor::name).containsExactly(ExpertLayout.INPUT_MEAN, ExpertLayout.INPUT_STD,
                ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS, ExpertLayout.TRUNK1_WEIGHT, ExpertLayout.TRUNK1_BIAS,
                ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS);
        for (Tensor original : weights.tensors()) {
            Tensor back = twice.get(original.name());
            assertThat(back.shape()).isEqualTo(ExpertLayout.shape(original.name(), 5));
            assertThat(floatBits(back.data())).isEqualTo(floatBits(original.data()));
        }
    }

    @Test
    void shouldComputeLogitsAsTheLayoutDefinesThem() {
        // given a network and one standardized input
        NetworkWeights weights = NetworkWeights.seeded(3, 11);
        float[] x = new float[ExpertLayout.INPUT_DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        // when
        float[] logits;
        try (ExpertNetwork network = ExpertNetwork.load(weights);
                NDManager manager = network.model().getNDManager().newSubManager()) {
            logits = network.logits(manager.create(x, new Shape(1, x.length))).toFloatArray();
        }
        // then it matches relu(W1 relu(W0 x + b0) + b1) computed by hand, then the head
        float[] h1 = reluLinear(weights.get(ExpertLayout.TRUNK0_WEIGHT), weights.get(ExpertLayout.TRUNK0_BIAS), x, true);
        float[] h2 = reluLinear(weights.get(ExpertLayout.TRUNK1_WEIGHT), weights.get(ExpertLayout.TRUNK1_BIAS), h1, true);
        float[] expected = reluLinear(weights.get(ExpertLayout.HEAD_WEIGHT), weights.get(ExpertLayout.HEAD_BIAS), h2, false);
        for (int c = 0; c < 3; c++) {
            assertThat(logits[c]).isCloseTo(expected[c], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void shouldRefuseWeightsWithAWrongShape() {
        // given a trunk weight with its dimensions swapped
        List<Tensor> tensors = new java.util.ArrayList<>(NetworkWeights.seeded(2, 1).tensors());
        tensors.set(2, Tensor.of(ExpertLayout.TRUNK0_WEIGHT, new float[256 * 384], 384, 256));
        // when / then
        assertThatThrownBy(() -> NetworkWeights.of(tensors))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ExpertLayout.TRUNK0_WEIGHT);
    }

    private static int[] floatBits(float[] data) {
        int[] bits = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            bits[i] = Float.floatToRawIntBits(data[i]);
        }
        return bits;
    }

    private static float[] reluLinear(Tensor weight, Tensor bias, float[] input, boolean relu) {
        int out = (int) weight.shape()[0];
        int in = (int) weight.shape()[1];
        float[] result = new float[out];
        for (int o = 0; o < out; o++) {
            double sum = bias.data()[o];
            for (int i = 0; i < in; i++) {
                sum += weight.data()[o * in + i] * input[i];
            }
            result[o] = relu ? (float) Math.max(0, sum) : (float) sum;
        }
        return result;
    }
}
