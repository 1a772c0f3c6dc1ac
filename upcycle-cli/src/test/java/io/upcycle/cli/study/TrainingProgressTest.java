package io.upcycle.cli.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    @Test
    void shouldSayStepsDoneOfTheBudgetAndTheTimeLeftAtTheRateSoFar() {
        // given / when / then: a quarter done in one minute leaves three
        assertThat(TrainingProgress.line(1024, 4096, Duration.ofMinutes(1)))
                .isEqualTo("1,024 of 4,096 steps (25%), 1m00s so far, about 3m00s left");
        assertThat(TrainingProgress.line(3000, 4000, Duration.ofMinutes(90)))
                .isEqualTo("3,000 of 4,000 steps (75%), 1h30m so far, about 30m00s left");
    }

    @Test
    void shouldGiveNoEstimateBeforeTheFirstStepOrAfterTheLast() {
        assertThat(TrainingProgress.line(0, 4096, Duration.ofSeconds(15))).isEqualTo("0 of 4,096 steps (0%), 0m15s so far");
        assertThat(TrainingProgress.line(4096, 4096, Duration.ofSeconds(75))).isEqualTo("4,096 of 4,096 steps (100%), 1m15s so far");
    }
}
