package io.upcycle.merger.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DifficultySplitTest {
    private static final double[] EL2N = {0.1, 0.9, 0.3, 0.9, 0.2, 0.5, 0.05, 0.7, 0.4, 0.6};

    @Test
    void shouldMarkTheTopFractionByCountAsHard() {
        // given ceil(0.25 * 10) = 3 hard examples: 0.9, 0.9, 0.7

        // when
        DifficultySplit split = DifficultySplit.of(EL2N, 0.25);

        // then
        assertThat(split.hard()).containsExactly(false, true, false, true, false, false, false, true, false, false);
        assertThat(split.cutoff()).isEqualTo(0.7);
        assertThat(split.hardCount()).isEqualTo(3);
        assertThat(split.easyCount()).isEqualTo(7);
    }

    @Test
    void shouldCountTiesAtTheCutoffAsHard() {
        // given ceil(0.1 * 10) = 1 hard example, but two share the top score

        // when
        DifficultySplit split = DifficultySplit.of(EL2N, 0.1);

        // then
        assertThat(split.cutoff()).isEqualTo(0.9);
        assertThat(split.hardCount()).isEqualTo(2);
    }

    @Test
    void shouldKeepAtLeastOneHardExample() {
        // when 1% of three examples rounds up to one
        DifficultySplit split = DifficultySplit.of(new double[] {0.2, 0.8, 0.1}, 0.01);

        // then
        assertThat(split.hard()).containsExactly(false, true, false);
    }

    @Test
    void shouldRefuseAFractionOutsideTheOpenUnitInterval() {
        assertThatThrownBy(() -> DifficultySplit.of(EL2N, 1.0)).hasMessageContaining("(0, 1)").hasMessageContaining("1.0");
        assertThatThrownBy(() -> DifficultySplit.of(new double[0], 0.5)).hasMessageContaining("empty");
    }

    @Test
    void shouldScoreEasyAndHardExamplesSeparately() {
        // given 4 examples, the last two hard; right on examples 0, 1 and 3
        Predictions predictions = new Predictions(new boolean[] {true, true, false, true}, new double[4]);
        boolean[] hard = {false, false, true, true};

        // when / then
        assertThat(predictions.accuracy(hard, false)).isEqualTo(new Accuracy(2, 2));
        assertThat(predictions.accuracy(hard, true)).isEqualTo(new Accuracy(1, 2));
        assertThat(predictions.accuracy()).isEqualTo(new Accuracy(3, 4));
    }
}
