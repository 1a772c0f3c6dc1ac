package io.upcycle.merger.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class GatesTest {

    @Test
    void shouldPickTheBestExpertWithFullWeightWhenKIsOne() {
        // when
        Gates gates = Gates.topK(new float[] {0.5f, 2f, -1f, 1.9f}, 1);

        // then
        assertThat(gates.experts()).containsExactly(1);
        assertThat(gates.weights()).containsExactly(1.0);
        assertThat(gates.top1()).isEqualTo(1);
    }

    @Test
    void shouldSoftmaxOverTheChosenLogitsOnly() {
        // when k = 2 of 3
        Gates gates = Gates.topK(new float[] {0f, 3f, 1f}, 2);

        // then experts 1 and 2, weights e^3 / (e^3 + e^1) and e^1 / (e^3 + e^1); expert 0 gets nothing
        double total = Math.exp(3) + Math.exp(1);
        assertThat(gates.experts()).containsExactly(1, 2);
        assertThat(gates.weights()).containsExactly(new double[] {Math.exp(3) / total, Math.exp(1) / total}, Offset.offset(1e-12));
    }

    @Test
    void shouldWeightEveryExpertBySoftmaxWhenKIsN() {
        // when
        float[] logits = {1f, 2f, 0f};
        Gates gates = Gates.topK(logits, 3);

        // then
        double total = Math.exp(1) + Math.exp(2) + Math.exp(0);
        assertThat(gates.experts()).containsExactly(1, 0, 2);
        assertThat(gates.weights()).containsExactly(new double[] {Math.exp(2) / total, Math.exp(1) / total, 1 / total}, Offset.offset(1e-12));
        assertThat(gates.weights()[0] + gates.weights()[1] + gates.weights()[2]).isCloseTo(1.0, Offset.offset(1e-12));
    }

    @Test
    void shouldBreakTiesTowardsTheLowerIndexAndSplitWeightEvenly() {
        // when
        Gates gates = Gates.topK(new float[] {4f, 4f, 4f}, 2);

        // then
        assertThat(gates.experts()).containsExactly(0, 1);
        assertThat(gates.weights()).containsExactly(0.5, 0.5);
    }

    @Test
    void shouldRefuseKOutsideOneToN() {
        assertThatThrownBy(() -> Gates.topK(new float[] {1f, 2f}, 3)).hasMessageContaining("top_k must be in [1, 2]");
        assertThatThrownBy(() -> Gates.topK(new float[] {1f, 2f}, 0)).hasMessageContaining("top_k");
    }
}
