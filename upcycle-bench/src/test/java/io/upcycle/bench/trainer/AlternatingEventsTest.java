package io.upcycle.bench.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.events.TrainingEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlternatingEventsTest {

    /** Records which steps reached it; each hand-over takes 5 ms of busy time. */
    private static final class SlowSink implements TrainingEvents {
        static final long HAND_OVER_NANOS = 5_000_000;
        final List<Long> steps = new ArrayList<>();
        int flushes;

        @Override
        public void onStep(StepMetrics metrics, ExampleLosses losses, long timestampMs) {
            steps.add(metrics.getStep());
            long until = System.nanoTime() + HAND_OVER_NANOS;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void shouldPublishTheWarmUpThenBlocksInAbbaOrderAndTimeEachBlock() {
        // given a warm-up of 4 steps and blocks of 2
        SlowSink sink = new SlowSink();
        AlternatingEvents events = new AlternatingEvents(sink, 4, 2, new PublishingCpu());

        // when 12 steps go through it
        for (long step = 1; step <= 12; step++) {
            StepMetrics metrics = new StepMetrics();
            metrics.setStep(step);
            events.onStep(metrics, new ExampleLosses(), step);
        }

        // then the warm-up and the publishing blocks reached Kafka, the others did not
        assertThat(sink.steps).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 11L, 12L);
        assertThat(events.blocks()).extracting(BenchBlock::publish).containsExactly(true, false, false, true);
        assertThat(events.blocks()).extracting(BenchBlock::steps).containsOnly(2L);
        // and every publishing block counts its hand-over in its wall time, a silent one has none
        for (BenchBlock block : events.blocks()) {
            if (block.publish()) {
                assertThat(block.handOverNanos()).isGreaterThanOrEqualTo(2 * SlowSink.HAND_OVER_NANOS);
                assertThat(block.wallNanos()).isGreaterThanOrEqualTo(block.handOverNanos());
            } else {
                assertThat(block.wallNanos()).isLessThan(2 * SlowSink.HAND_OVER_NANOS);
            }
        }
        // and the events of the warm-up and of each publishing block were flushed before the next block
        assertThat(sink.flushes).isEqualTo(3);
    }
}
