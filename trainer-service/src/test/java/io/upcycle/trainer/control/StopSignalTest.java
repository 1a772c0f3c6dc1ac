package io.upcycle.trainer.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StopSignalTest {

    @Test
    void shouldMeasureFromTheDecidedStepsPublicationToTheStop() {
        // given steps 1..3 published, the decision taken at step 3, then steps 4..5
        StopSignal signal = new StopSignal();
        for (long step = 1; step <= 3; step++) {
            signal.stepDone(step);
            signal.published(step);
        }
        long afterStep3 = System.nanoTime();
        for (long step = 4; step <= 5; step++) {
            signal.stepDone(step);
            signal.published(step);
        }
        signal.request("d-1", 3);
        signal.request("d-2", 4); // a later request is ignored

        // when the loop stops 20 ms after step 3 went out
        double latency = signal.latencyMillis(afterStep3 + 20_000_000L).orElseThrow();

        // then it counts from step 3's publication: 20 ms, less the moments between its publication and the clock read
        assertThat(signal.decidedAtStep()).hasValue(3);
        assertThat(signal.decisionId()).hasValue("d-1");
        assertThat(latency).isGreaterThanOrEqualTo(20.0).isLessThan(20.0 + 1_000.0);
    }

    @Test
    void shouldGiveNoLatencyForAStepTooFarBackOrAStopWithoutADecidedStep() {
        // given steps 1..(REMEMBERED + 10) published, so step 5's time was overwritten
        StopSignal old = new StopSignal();
        for (long step = 1; step <= StopSignal.REMEMBERED + 10; step++) {
            old.published(step);
        }
        old.request("late", 5);
        StopSignal bare = new StopSignal();
        bare.published(1);
        bare.request(null);

        // when / then
        assertThat(old.latencyMillis(System.nanoTime())).isEmpty();
        assertThat(bare.decidedAtStep()).isEmpty();
        assertThat(bare.latencyMillis(System.nanoTime())).isEmpty();
    }
}
