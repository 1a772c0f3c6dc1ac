package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignalHistoryTest {
    @Test
    void shouldKeepTheMostRecentValuesOldestFirst() {
        // given
        SignalHistory history = new SignalHistory(3);

        // when
        for (int s = 1; s <= 5; s++) {
            history.add(s * 10L, s / 2.0);
        }

        // then
        assertThat(history.steps()).containsExactly(30, 40, 50);
        assertThat(history.values()).containsExactly(1.5, 2.0, 2.5);
    }

    @Test
    void shouldDropEntriesAfterAStepWhenTruncated() {
        // given
        SignalHistory history = new SignalHistory(4);
        for (int s = 1; s <= 6; s++) {
            history.add(s, s);
        }

        // when
        history.truncateAfter(4);
        history.add(5, 50);

        // then
        assertThat(history.steps()).containsExactly(3, 4, 5);
        assertThat(history.values()).containsExactly(3, 4, 50);
    }

    @Test
    void shouldReplaceTheEntriesOfAStepAndLaterStepsWhenTheStepIsAddedAgain() {
        // given
        SignalHistory history = new SignalHistory(4);
        for (int s = 1; s <= 5; s++) {
            history.add(s, s);
        }

        // when step 5 is assessed again (a full pass), then step 4 is reported again (a resumed run)
        history.add(5, 55);
        assertThat(history.values()).containsExactly(2, 3, 4, 55);
        history.add(4, 44);

        // then
        assertThat(history.steps()).containsExactly(2, 3, 4);
        assertThat(history.values()).containsExactly(2, 3, 44);
    }

    @Test
    void shouldRefuseAnEmptyWindow() {
        assertThatThrownBy(() -> new SignalHistory(0)).hasMessageContaining("at least one step");
    }
}
