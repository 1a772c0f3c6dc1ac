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
    void shouldRefuseAnEmptyWindow() {
        assertThatThrownBy(() -> new SignalHistory(0)).hasMessageContaining("at least one step");
    }
}
