package io.upcycle.merger.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upcycle.merger.TfEngineTest;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest extends TfEngineTest {

    /** Identity layers, zero biases: logits = relu(relu((x - mean) / std)), so the larger standardized input wins. */
    static NetworkTensors identityNetwork(float[] mean, float[] std) {
        float[] identity = {1f, 0f, 0f, 1f};
        Map<String, Tensor> tensors = new HashMap<>();
        tensors.put(ExpertLayout.INPUT_MEAN, Tensor.of(ExpertLayout.INPUT_MEAN, mean, 2));
        tensors.put(ExpertLayout.INPUT_STD, Tensor.of(ExpertLayout.INPUT_STD, std, 2));
        tensors.put(ExpertLayout.TRUNK0_WEIGHT, Tensor.of(ExpertLayout.TRUNK0_WEIGHT, identity, 2, 2));
        tensors.put(ExpertLayout.TRUNK0_BIAS, Tensor.of(ExpertLayout.TRUNK0_BIAS, new float[2], 2));
        tensors.put(ExpertLayout.TRUNK1_WEIGHT, Tensor.of(ExpertLayout.TRUNK1_WEIGHT, identity, 2, 2));
        tensors.put(ExpertLayout.TRUNK1_BIAS, Tensor.of(ExpertLayout.TRUNK1_BIAS, new float[2], 2));
        tensors.put(ExpertLayout.HEAD_WEIGHT, Tensor.of(ExpertLayout.HEAD_WEIGHT, identity, 2, 2));
        tensors.put(ExpertLayout.HEAD_BIAS, Tensor.of(ExpertLayout.HEAD_BIAS, new float[2], 2));
        return new NetworkTensors(tensors);
    }

    @Test
    void shouldCountCorrectArgmaxPredictionsAcrossBatches() {
        // given predictions by hand: (3,1)->0, (1,3)->1, (-1,2)->1, (2,-5)->0, (0,4)->1
        NetworkTensors network = identityNetwork(new float[] {0f, 0f}, new float[] {1f, 1f});
        Split split = new Split("test", 2, new float[] {3, 1, 1, 3, -1, 2, 2, -5, 0, 4}, new int[] {0, 1, 0, 0, 1});

        // when batches of 2 rows cover the 5 examples
        Accuracy accuracy = new Evaluator(manager, 2).accuracy(network, split);

        // then all but the third are right
        assertThat(accuracy).isEqualTo(new Accuracy(4, 5));
        assertThat(accuracy.value()).isEqualTo(0.8);
    }

    @Test
    void shouldGiveEachExamplesCorrectnessAndEl2n() {
        // given two classes with logits relu(x): EL2N = sqrt(2) * sigmoid(-m), m = own logit minus the other
        // (2, 0) label 0: m = 2 -> 0.168578, right; (0, 0) label 1: m = 0 -> 0.707107, wrong (a tie goes to class 0);
        // (1, -3) label 1: m = -1 -> 1.033873, wrong
        NetworkTensors network = identityNetwork(new float[] {0f, 0f}, new float[] {1f, 1f});
        Split split = new Split("train", 2, new float[] {2, 0, 0, 0, 1, -3}, new int[] {0, 1, 1});

        // when batches of 2 rows cover the 3 examples
        Predictions predictions = new Evaluator(manager, 2).predict(network, split);

        // then
        assertThat(predictions.correct()).containsExactly(true, false, false);
        assertThat(predictions.el2n()).containsExactly(new double[] {0.168578, 0.707107, 1.033873}, within(1e-6));
        assertThat(predictions.accuracy()).isEqualTo(new Accuracy(1, 3));
    }

    @Test
    void shouldStandardizeInputsWithTheNetworksMeanAndStd() {
        // given (10.5, 2): raw argmax is class 0, standardized ((0.5, 2)) it is class 1
        NetworkTensors network = identityNetwork(new float[] {10f, 0f}, new float[] {1f, 1f});
        Split split = new Split("test", 2, new float[] {10.5f, 2f, 12f, 1f}, new int[] {1, 0});

        // when
        Accuracy accuracy = new Evaluator(manager, 16).accuracy(network, split);

        // then
        assertThat(accuracy.correct()).isEqualTo(2);
    }

    @Test
    void shouldRefuseASplitOfAnotherWidth() {
        // given
        NetworkTensors network = identityNetwork(new float[] {0f, 0f}, new float[] {1f, 1f});
        Split split = new Split("test", 3, new float[] {1, 2, 3}, new int[] {0});

        // when / then
        assertThatThrownBy(() -> new Evaluator(manager, 4).accuracy(network, split))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dim 3").hasMessageContaining("takes 2");
    }

    @Test
    void shouldRefuseANetworkWhoseShapesDisagreeNamingTheTensor() {
        // given a head for 3 hidden units on a 2-unit trunk
        NetworkTensors good = identityNetwork(new float[] {0f, 0f}, new float[] {1f, 1f});
        Map<String, Tensor> trunk = new HashMap<>();
        for (String name : ExpertLayout.TRUNK) {
            trunk.put(name, good.get(name));
        }
        trunk.put(ExpertLayout.TRUNK1_BIAS, Tensor.of(ExpertLayout.TRUNK1_BIAS, new float[3], 3));

        // when / then
        assertThatThrownBy(() -> good.withTrunk(trunk))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trunk.1.bias").hasMessageContaining("[3]");
    }
}
