package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ExampleSignalsTest {
    private static final boolean[] NONE = new boolean[0];

    @Test
    void shouldFixTheTopFractionByEl2nAsHardAndTheBottomAsEasy() {
        // given ten examples with EL2N 0.0, 0.1, ..., 0.9
        ExampleSignals x = ExampleSignals.empty(10);
        int[] ids = new int[10];
        float[] el2n = new float[10];
        for (int i = 0; i < 10; i++) {
            ids[i] = i;
            el2n[i] = i / 10f;
        }
        x.record(ids, NONE, el2n);

        // when the hard top 20% and the easy bottom 50% are fixed at step 32
        x.fixDifficulty(32, 0.2, 0.5);

        // then
        assertThat(x.difficultyStep()).isEqualTo(32);
        for (int i = 0; i < 10; i++) {
            assertThat(x.hard(i)).as("hard %d", i).isEqualTo(i >= 8);
            assertThat(x.easy(i)).as("easy %d", i).isEqualTo(i <= 4);
        }
        assertThat(x.hardCutoff()).isEqualTo(0.8f);
        assertThat(x.easyCutoff()).isEqualTo(0.4f);
    }

    @Test
    void shouldClassifyAnExampleFirstSeenAfterTheReferenceByTheFixedCutoffs() {
        // given examples 0..3 seen before the reference, 4..6 not
        ExampleSignals x = ExampleSignals.empty(7);
        x.record(new int[] {0, 1, 2, 3}, NONE, new float[] {0.1f, 0.2f, 0.9f, 1.0f});
        x.fixDifficulty(5, 0.25, 0.5);

        // when they are first seen later, one above the hard cut-off, one between, one below the easy one
        x.record(new int[] {4, 5, 6}, NONE, new float[] {1.2f, 0.5f, 0.05f});
        x.record(new int[] {4}, NONE, new float[] {0.01f});

        // then the first EL2N decided, and later ones do not move an example
        assertThat(x.hard(4)).isTrue();
        assertThat(x.hard(5) || x.easy(5)).isFalse();
        assertThat(x.easy(6)).isTrue();
        assertThat(x.hard(3)).isTrue();
        assertThat(x.hard(2)).isFalse();
    }

    @Test
    void shouldLeaveTheDifficultyOpenWhileNoEl2nIsKnown() {
        ExampleSignals x = ExampleSignals.empty(3);
        x.record(new int[] {0, 1}, new boolean[] {true, false}, new float[0]);

        x.fixDifficulty(32, 0.1, 0.5);

        assertThat(x.difficultyFixed()).isFalse();
    }

    @Test
    void shouldCountForgettingEventsOnlyFromCorrectToWrong() {
        // given example 0: right, wrong, right, wrong; example 1: wrong, right; example 2: never told
        ExampleSignals x = ExampleSignals.empty(3);
        float[] none = new float[0];

        // when
        x.record(new int[] {0, 1}, new boolean[] {true, false}, none);
        x.record(new int[] {0, 1}, new boolean[] {false, true}, none);
        x.record(new int[] {0}, new boolean[] {true}, none);
        x.record(new int[] {0, 2}, new boolean[] {false, false}, none);

        // then
        assertThat(x.forgets(0)).isEqualTo(2);
        assertThat(x.forgets(1)).isZero();
        assertThat(x.forgets(2)).isZero();
        assertThat(x.forgettingEvents()).isEqualTo(2);
    }

    @Test
    void shouldSumTheLossesOfTheHardAndEasySetsOverSeenExamples() {
        // given hard = {3}, easy = {0, 1}, example 2 in between, example 4 never seen
        ExampleSignals x = ExampleSignals.empty(5);
        x.record(new int[] {0, 1, 2, 3}, NONE, new float[] {0.1f, 0.2f, 0.5f, 0.9f});
        x.fixDifficulty(1, 0.25, 0.5);
        float[] latest = {0.05f, 0.5f, 1f, 2f, Float.NaN};

        // when
        ExampleSignals.Summary sum = x.summarize(latest, 0.1);

        // then
        assertThat(sum.learned()).isEqualTo(1);
        assertThat(sum.totalLoss()).isCloseTo(3.55, within(1e-6));
        assertThat(sum.hardLoss()).isCloseTo(2, within(1e-6));
        assertThat(sum.hardCount()).isEqualTo(1);
        assertThat(sum.easyLoss()).isCloseTo(0.55, within(1e-6));
        assertThat(sum.easyCount()).isEqualTo(2);
    }
}
