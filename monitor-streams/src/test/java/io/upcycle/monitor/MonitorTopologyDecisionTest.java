package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorTopologyDecisionTest {
    static final String RUN = "run-1";
    static final int EXAMPLES = 100;
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    /** Event time of step {@code s}, as a trainer's stepped clock would stamp it. */
    static long at(long step) {
        return T0 + 10 * step;
    }

    /** Every example reports a loss; the first {@code learned} are below the 0.1 threshold, the others well above it. */
    static void step(MonitorHarness h, long step, int learned) {
        float[] losses = new float[EXAMPLES];
        for (int id = 0; id < EXAMPLES; id++) {
            losses[id] = id < learned ? 0.05f : 1f + id / 1000f;
        }
        h.losses.pipeInput(RUN, Events.losses(RUN, step, Events.range(0, EXAMPLES), losses), at(step));
    }

    /** Ten more examples learned per step, capped at {@code cap}: the fraction is 0.1 * step until the cap. */
    static void train(MonitorHarness h, long fromStep, long toStep, int cap, long... checkpointSteps) {
        for (long s = fromStep; s <= toStep; s++) {
            step(h, s, (int) Math.min(cap, 10 * s));
            long current = s;
            if (LongStream.of(checkpointSteps).anyMatch(c -> c == current)) {
                h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, s), at(s) + 1);
            }
        }
    }

    @Test
    void shouldEmitOneStopDecisionAtTheStepWhereTheLearnedFractionCrossesTheTarget() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run whose learned fraction is 0.1 * step, capped at 0.98: it crosses 0.97 at step 10
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);

            // when it trains on to step 14, with checkpoints after steps 4, 8 and 12
            train(h, 1, 14, 98, 4, 8, 12);

            // then exactly one decision, at step 10, merging the checkpoint of step 8
            List<StopDecision> decisions = h.decisions.readValuesToList();
            assertThat(decisions).hasSize(1);
            StopDecision d = decisions.get(0);
            assertThat(d.getRunId()).isEqualTo(RUN);
            assertThat(d.getTask()).isEqualTo("fortune-lang-8");
            assertThat(d.getDecidedAtStep()).isEqualTo(10);
            assertThat(d.getDecisionId()).isEqualTo("run-1:learned-fraction-v1:10");
            assertThat(d.getCheckpointStep()).isEqualTo(8);
            assertThat(d.getCheckpointUri()).isEqualTo(Events.uri(RUN, 8));
            assertThat(d.getCheckpointSha256()).isEqualTo(Events.sha256(8));
            assertThat(d.getPolicy()).isEqualTo("learned-fraction");
            assertThat(d.getPolicyVersion()).isEqualTo(1);
            assertThat(d.getParameters()).containsEntry("loss.threshold", "0.1").containsEntry("target.fraction", "0.97")
                    .containsEntry("min.steps", "10");
            assertThat(d.getMode()).isEqualTo(DecisionMode.ENFORCE);
            assertThat(d.getReason()).startsWith("learned fraction 0.980 >= 0.97 at step 10 (threshold 0.1)")
                    .contains("checkpoint of step 8");
            SignalSeries signal = d.getSignals().get(0);
            assertThat(signal.getName()).isEqualTo("learned-fraction");
            assertThat(signal.getSteps()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(signal.getValues()).containsExactly(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.98);
            // the two unlearned examples first (highest loss first), then the learned ones by id
            assertThat(d.getTopHardExampleIds()).containsExactly(99, 98, 0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(h.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldRecordAnEndOfRunDecisionNamingTheLastCheckpointWhenTheRunEndsBeforeThePolicyFires() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run that never learns more than 96 of its 100 examples and checkpoints at 8 and 16
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
            train(h, 1, 16, 96, 8, 16);

            // when it ends at its budget, just after its last step
            h.runs.pipeInput(RUN, Events.ended(RUN, 16), at(16) + 2);

            // then one OBSERVE decision of the end-of-run kind, merging the final checkpoint
            List<StopDecision> decisions = h.decisions.readValuesToList();
            assertThat(decisions).hasSize(1);
            StopDecision d = decisions.get(0);
            assertThat(d.getPolicy()).isEqualTo("end-of-run");
            assertThat(d.getMode()).isEqualTo(DecisionMode.OBSERVE);
            assertThat(d.getDecisionId()).isEqualTo("run-1:end-of-run-v1:16");
            assertThat(d.getCheckpointStep()).isEqualTo(16);
            assertThat(d.getParameters()).containsEntry("watchedPolicy", "learned-fraction-v1")
                    .containsEntry("watched.target.fraction", "0.97");
            assertThat(d.getReason()).contains("before learned-fraction fired").contains("0.960").contains("step 16");
        }
    }

    @Test
    void shouldNotAddAnEndOfRunDecisionToARunThatWasAlreadyStopped() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run stopped by the policy at step 10
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
            train(h, 1, 11, 98, 4, 8);

            // when it ends
            h.runs.pipeInput(RUN, Events.ended(RUN, 11), at(11) + 2);

            // then only the policy's decision exists
            assertThat(h.decisions.readValuesToList()).extracting(StopDecision::getPolicy).containsExactly("learned-fraction");
        }
    }

    @Test
    void shouldStampTheDecisionWithTheEventTimeOfTheTriggeringLosses() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);

            // when
            train(h, 1, 11, 98);

            // then
            assertThat(h.decisions.readRecord().timestamp()).isEqualTo(at(10));
        }
    }

    @Test
    void shouldNotDecideWhileTheLearnedFractionStaysBelowTheTarget() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run that never learns more than 96 of its 100 examples
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);

            // when
            train(h, 1, 40, 96, 8, 16);

            // then
            assertThat(h.decisions.isEmpty()).isTrue();
            double[] window = h.state(RUN).signals().values();
            assertThat(window).hasSize(32);
            assertThat(window[31]).isEqualTo(0.96);
            assertThat(h.state(RUN).decided()).isFalse();
        }
    }

    @Test
    void shouldWaitForTheWarmUpBeforeDeciding() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of("policy.min.steps", "12"))) {
            // given a run at the target from step 10 on, and a warm-up of 12 steps
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);

            // when
            train(h, 1, 15, 98);

            // then the decision waits for the twelfth step
            assertThat(h.decisions.readValuesToList()).extracting(StopDecision::getDecidedAtStep).containsExactly(12L);
        }
    }

    @Test
    void shouldNotPickACheckpointStampedAtTheSameTimeAsTheDecidingLosses() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given checkpoints of steps 4 and 10, the one of step 10 stamped like the losses of step 10 and processed first
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
            train(h, 1, 9, 98, 4);
            h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, 10), at(10));

            // when step 10 crosses the target
            step(h, 10, 98);

            // then the decision takes step 4: the order of equal timestamps across topics is not defined, so that
            // checkpoint is left out on every replay alike
            assertThat(h.decisions.readValue().getCheckpointStep()).isEqualTo(4);
        }
    }

    @Test
    void shouldRecordTheConfiguredModeAndPolicyParameters() {
        Map<String, String> observe = Map.of("decision.mode", "observe", "policy.target.fraction", "0.5",
                "policy.loss.threshold", "0.2");
        try (MonitorHarness h = new MonitorHarness(stateDir, observe)) {
            // given
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);

            // when the fraction reaches 0.5 at step 5, before the warm-up ends at step 10
            train(h, 1, 10, 98);

            // then
            StopDecision d = h.decisions.readValue();
            assertThat(d.getMode()).isEqualTo(DecisionMode.OBSERVE);
            assertThat(d.getDecidedAtStep()).isEqualTo(10);
            assertThat(d.getParameters()).containsEntry("target.fraction", "0.5").containsEntry("loss.threshold", "0.2");
            assertThat(d.getCheckpointStep()).isNull();
            assertThat(d.getReason()).contains("no checkpoint");
        }
    }

    @Test
    void shouldDecideForEachRunOnItsOwn() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given two runs, one learning twice as fast
            h.runs.pipeInput("fast", Events.started("fast", 10), T0);
            h.runs.pipeInput("slow", Events.started("slow", 10), T0);

            // when both report 30 steps in which the first `learned` of their 10 examples are learned
            for (int s = 1; s <= 30; s++) {
                pipeLearned(h, "fast", s, Math.min(10, s / 2));
                pipeLearned(h, "slow", s, Math.min(10, s / 4));
            }

            // then: 10/10 learned at step 20 (fast) and 40 (slow: never within 30 steps)
            assertThat(h.decisions.readKeyValuesToMap()).containsOnlyKeys("fast")
                    .extractingByKey("fast").extracting(StopDecision::getDecidedAtStep).isEqualTo(20L);
        }
    }

    @Test
    void shouldGiveTheSameEvidenceWhetherTheDecisionStepsMetricsComeBeforeOrAfterItsLosses() {
        for (String window : List.of("32", "1")) {
            sameEvidenceEitherOrder(window);
        }
    }

    /** With a one-step window, the decision step's evaluation recorded first must not push the previous one out. */
    private void sameEvidenceEitherOrder(String window) {
        // given two monitors of the same run, evaluated every 5 steps; the decision falls on step 10, an evaluation step
        List<StopDecision> decided = new java.util.ArrayList<>();
        for (boolean metricsFirst : new boolean[] {true, false}) {
            try (MonitorHarness h = new MonitorHarness(stateDir.resolve("metrics-first-" + metricsFirst + "-w" + window),
                    Map.of(MonitorConfigKeys.SIGNAL_WINDOW_STEPS, window))) {
                h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
                for (long s = 1; s <= 12; s++) {
                    // when a step's losses and metrics (same timestamp, two topics) arrive in either order
                    Float eval = s % 5 == 0 ? 0.5f / s : null;
                    if (metricsFirst) {
                        h.stepMetrics.pipeInput(RUN, Events.metrics(RUN, s, eval), at(s));
                    }
                    step(h, s, (int) Math.min(98, 10 * s));
                    if (!metricsFirst) {
                        h.stepMetrics.pipeInput(RUN, Events.metrics(RUN, s, eval), at(s));
                    }
                }
                decided.addAll(h.decisions.readValuesToList());
            }
        }
        // then both decide at step 10 with identical evidence: the evaluation series stops before the decision's step
        assertThat(decided).as("window %s", window).hasSize(2).allMatch(d -> d.getDecidedAtStep() == 10);
        assertThat(decided.get(0).getSignals()).as("window %s", window).isEqualTo(decided.get(1).getSignals());
        SignalSeries eval = decided.get(0).getSignals().stream().filter(x -> x.getName().equals("eval-loss")).findFirst().orElseThrow();
        assertThat(eval.getSteps()).containsExactly(5L);
        // and after the policy's own series the others come by name, not in the order they first got a value
        List<String> others = decided.get(0).getSignals().stream().skip(1).map(SignalSeries::getName).toList();
        assertThat(decided.get(0).getSignals().get(0).getName()).isEqualTo("learned-fraction");
        assertThat(others).contains("eval-loss").isSorted();
    }

    private static void pipeLearned(MonitorHarness h, String run, long step, int learned) {
        float[] losses = new float[10];
        IntStream.range(0, 10).forEach(id -> losses[id] = id < learned ? 0.01f : 2f);
        h.losses.pipeInput(run, Events.losses(run, step, Events.range(0, 10), losses), at(step));
    }
}
