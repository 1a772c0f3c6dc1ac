package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.SignalHistory;
import io.upcycle.monitor.state.SignalNames;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence signals on a hand-made run of five examples: EL2N ranks examples 0, 1 (easy), 2,
 * 3 (hard) before the reference step 2; example 4 is first seen at step 4 and enters as hard.
 */
class MonitorTopologySignalsTest {
    static final String RUN = "run-s";
    static final long T0 = 1_700_000_000_000L;
    static final float[] NO_EL2N = new float[0];
    static final boolean[] NO_CORRECT = new boolean[0];

    @TempDir
    Path stateDir;

    private MonitorHarness harness(Map<String, String> extra) {
        Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                MonitorConfigKeys.SIGNAL_REFERENCE_STEP, "2", MonitorConfigKeys.SIGNAL_HARD_FRACTION, "0.25",
                MonitorConfigKeys.SIGNAL_EASY_FRACTION, "0.5", MonitorConfigKeys.SIGNAL_EASY_PLATEAU_STEPS, "2",
                MonitorConfigKeys.SIGNAL_EASY_PLATEAU_EPSILON, "0.05"));
        overrides.putAll(extra);
        return new MonitorHarness(stateDir, overrides);
    }

    private static void step(MonitorHarness h, long step, int[] ids, float[] losses, boolean[] correct, float[] el2n) {
        h.losses.pipeInput(RUN, Events.losses(RUN, step, ids, losses, correct, el2n), T0 + 10 * step);
    }

    /** Seven steps; see the class comment and the comments per step. */
    private static void run(MonitorHarness h) {
        h.runs.pipeInput(RUN, Events.started(RUN, 5), T0);
        step(h, 1, new int[] {0, 1}, new float[] {1.0f, 1.2f}, new boolean[] {true, false}, new float[] {0.1f, 0.2f});
        step(h, 2, new int[] {2, 3}, new float[] {1.5f, 2.0f}, new boolean[] {true, false}, new float[] {0.3f, 0.9f});
        // hard set fixed before this batch: {3}; easy: {0, 1}. Example 0 is forgotten.
        step(h, 3, new int[] {0, 1, 2, 3}, new float[] {0.5f, 0.5f, 1.0f, 2.0f}, new boolean[] {false, true, true, false},
                new float[] {0.05f, 0.05f, 0.05f, 0.05f});
        // example 4 first seen, EL2N 1.0 >= the hard cut-off 0.9: hard
        step(h, 4, new int[] {4, 0}, new float[] {3.0f, 0.3f}, new boolean[] {false, true}, new float[] {1.0f, 0.1f});
        // example 1 is forgotten
        step(h, 5, new int[] {0, 1}, new float[] {0.3f, 0.3f}, new boolean[] {true, false}, NO_EL2N);
        step(h, 6, new int[] {0, 1}, new float[] {0.29f, 0.3f}, NO_CORRECT, NO_EL2N);
        step(h, 7, new int[] {0, 1}, new float[] {0.29f, 0.29f}, NO_CORRECT, NO_EL2N);
    }

    @Test
    void shouldFixTheHardSetAtTheReferenceStepAndLetLateExamplesEnter() {
        try (MonitorHarness h = harness(Map.of())) {
            // when
            run(h);

            // then the difficulty was fixed from the EL2N of steps 1-2, not from step 3's
            RunState state = h.state(RUN);
            assertThat(state.examples().difficultyStep()).isEqualTo(2);
            assertThat(state.examples().hardCutoff()).isEqualTo(0.9f);
            assertThat(List.of(0, 1, 2, 3, 4)).map(state.examples()::hard).containsExactly(false, false, false, true, true);
            assertThat(List.of(0, 1, 2, 3, 4)).map(state.examples()::easy).containsExactly(true, true, false, false, false);
        }
    }

    @Test
    void shouldRecordTheHardSetLossShareFromTheReferenceStepOn() {
        try (MonitorHarness h = harness(Map.of())) {
            // when
            run(h);

            // then no share before the hard set exists; then hard loss / total loss over latest losses
            SignalHistory share = h.state(RUN).evidence().get(SignalNames.HARD_SHARE);
            assertThat(share.steps()).containsExactly(3, 4, 5, 6, 7);
            assertThat(share.values()[0]).isCloseTo(2.0 / 4.0, within(1e-6));
            assertThat(share.values()[1]).isCloseTo(5.0 / 6.8, within(1e-6));
            assertThat(share.values()[2]).isCloseTo(5.0 / 6.6, within(1e-6));
            assertThat(share.values()[4]).isCloseTo(5.0 / 6.58, within(1e-6));
        }
    }

    @Test
    void shouldCountForgettingEventsPerRunAndPerExample() {
        try (MonitorHarness h = harness(Map.of())) {
            // when
            run(h);

            // then
            RunState state = h.state(RUN);
            SignalHistory forgetting = state.evidence().get(SignalNames.FORGETTING_EVENTS);
            assertThat(forgetting.steps()).containsExactly(1, 2, 3, 4, 5, 6, 7);
            assertThat(forgetting.values()).containsExactly(0, 0, 1, 1, 2, 2, 2);
            assertThat(List.of(0, 1, 2, 3, 4)).map(state.examples()::forgets).containsExactly(1, 1, 0, 0, 0);
        }
    }

    @Test
    void shouldFlagTheEasySetPlateauWhenItsMeanLossStopsImproving() {
        try (MonitorHarness h = harness(Map.of())) {
            // when
            run(h);

            // then easy mean 0.5, 0.4, 0.3, 0.295, 0.29; against two steps earlier: -40%, -26%, -3.3% (< 5%)
            RunState state = h.state(RUN);
            SignalHistory easy = state.evidence().get(SignalNames.EASY_LOSS);
            assertThat(easy.steps()).containsExactly(3, 4, 5, 6, 7);
            assertThat(easy.values()[3]).isCloseTo(0.295, within(1e-6));
            SignalHistory plateau = state.evidence().get(SignalNames.EASY_PLATEAU);
            assertThat(plateau.steps()).containsExactly(5, 6, 7);
            assertThat(plateau.values()).containsExactly(0, 0, 1);
        }
    }

    @Test
    void shouldCarryEverySignalInTheDecisionOfTheBudgetPolicy() {
        try (MonitorHarness h = harness(Map.of(MonitorConfigKeys.POLICY_NAME, "budget", "policy.steps", "7"))) {
            // when
            run(h);

            // then one decision at step 7 whose evidence is the policy's series, then every other signal by name
            List<StopDecision> decisions = h.decisions.readValuesToList();
            assertThat(decisions).hasSize(1);
            StopDecision d = decisions.get(0);
            assertThat(d.getDecidedAtStep()).isEqualTo(7);
            assertThat(d.getPolicy()).isEqualTo("budget");
            assertThat(d.getSignals()).extracting(SignalSeries::getName).containsExactly("step",
                    SignalNames.EASY_LOSS, SignalNames.EASY_PLATEAU, SignalNames.FORGETTING_EVENTS, SignalNames.HARD_SHARE,
                    SignalNames.LEARNED_FRACTION);
            SignalSeries plateau = d.getSignals().get(2);
            assertThat(plateau.getSteps()).containsExactly(5L, 6L, 7L);
            assertThat(plateau.getValues()).containsExactly(0.0, 0.0, 1.0);
            assertThat(d.getSignals().get(0).getValues()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
        }
    }

    @Test
    void shouldKeepTheSignalsAcrossAStoreRoundTrip() {
        // the store holds serialized states: a step after the reference still sees the fixed hard set
        try (MonitorHarness h = harness(Map.of())) {
            run(h);
            step(h, 8, new int[] {4}, new float[] {0f}, new boolean[] {true}, NO_EL2N);

            SignalHistory share = h.state(RUN).evidence().get(SignalNames.HARD_SHARE);
            assertThat(share.values()[share.size() - 1]).isCloseTo(2.0 / 3.58, within(1e-6));
        }
    }
}
