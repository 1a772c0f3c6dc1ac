package io.upcycle.monitor.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upcycle.monitor.state.SignalNames;
import io.upcycle.schemas.SampleEvents;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunStarted;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalTraceTest {
    private static final RunStarted STARTED = SampleEvents.started("r", 4).setClassCount(2).build();

    private static ExampleLosses losses(long step, List<Float> values, List<Float> el2n) {
        return ExampleLosses.newBuilder().setRunId("r").setStep(step).setExampleIds(List.of(0, 1, 2, 3)).setLosses(values)
                .setCorrect(List.of(true, true, false, false)).setEl2n(el2n).build();
    }

    @Test
    void shouldRecordTheLearnedFractionAndHardShareAtEveryStepAsTheMonitorDoes() {
        // given: the hard set (top 25% by EL2N) is fixed after step 1, where example 3 is the hardest
        SignalTrace trace = new SignalTrace(STARTED, new SignalSettings(1, 0.25, 0.5, 0.1, 8, 0.01));

        // when
        trace.apply(losses(1, List.of(0.05f, 0.5f, 0.5f, 2.0f), List.of(0.1f, 0.5f, 0.6f, 1.2f)));
        trace.apply(losses(2, List.of(0.05f, 0.05f, 0.5f, 1.0f), List.of(0.1f, 0.1f, 0.6f, 1.0f)));
        trace.apply(losses(3, List.of(0.01f, 0.01f, 0.01f, 1.0f), List.of(0.1f, 0.1f, 0.1f, 1.0f)));

        // then: learned = share of examples whose latest loss is below 0.1, at every step
        assertThat(trace.series().get(SignalNames.LEARNED_FRACTION)).containsEntry(1L, 0.25).containsEntry(2L, 0.5)
                .containsEntry(3L, 0.75);
        // and the hard set's share of the total loss, once the hard set is known
        assertThat(trace.series().get(SignalNames.HARD_SHARE)).doesNotContainKey(1L);
        assertThat(trace.series().get(SignalNames.HARD_SHARE).get(2L)).isCloseTo(1.0 / 1.6, within(1e-6));
        assertThat(trace.series().get(SignalNames.HARD_SHARE).get(3L)).isCloseTo(1.0 / 1.03, within(1e-6));
    }
}
