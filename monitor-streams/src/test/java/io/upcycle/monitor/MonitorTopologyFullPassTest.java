package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorTopologyFullPassTest {
    static final String RUN = "run-1";
    static final int EXAMPLES = 100;
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    static long at(long step) {
        return T0 + 10 * step;
    }

    /** Batches of the first 50 examples only, all learned: the other 50 stay unseen, so the fraction stays at 0.5. */
    static void trainHalf(MonitorHarness h, long fromStep, long toStep) {
        float[] learned = new float[50];
        Arrays.fill(learned, 0.05f);
        for (long s = fromStep; s <= toStep; s++) {
            h.losses.pipeInput(RUN, Events.losses(RUN, s, Events.range(0, 50), learned), at(s));
        }
    }

    /** Losses of every example: the first {@code learned} below the 0.1 threshold, the others above it. */
    static float[] everyExample(int learned) {
        float[] losses = new float[EXAMPLES];
        for (int id = 0; id < EXAMPLES; id++) {
            losses[id] = id < learned ? 0.02f : 1.5f;
        }
        return losses;
    }

    @Test
    void shouldApplyAFullPassToEveryExampleWithoutCountingAStep() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run whose batches covered half of its examples in 6 steps
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
            trainHalf(h, 1, 6);

            // when the full pass of step 6 reports every example, 60 of them learned
            h.losses.pipeInput(RUN, Events.fullPass(RUN, 6, everyExample(60)), at(6));

            // then every example has the loss of the full pass, the step count is unchanged, and the
            // assessment of step 6 is replaced by the one on the full pass
            assertThat(h.deadLetters.isEmpty()).isTrue();
            RunState run = h.state(RUN);
            assertThat(run.latestLosses()).containsExactly(everyExample(60));
            assertThat(run.examplesSeen()).isEqualTo(EXAMPLES);
            assertThat(run.step()).isEqualTo(6);
            assertThat(run.stepsObserved()).isEqualTo(6);
            assertThat(run.signals().steps()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(run.signals().values()).containsExactly(0.5, 0.5, 0.5, 0.5, 0.5, 0.6);

            // and the next batch step is accepted as the step after it
            trainHalf(h, 7, 7);
            assertThat(h.deadLetters.isEmpty()).isTrue();
            assertThat(h.state(RUN).step()).isEqualTo(7);
        }
    }

    @Test
    void shouldDecideOnAFullPassThatShowsTheRunHasLearnedItsTrainingSet() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run past its warm-up whose batches never showed half of its examples
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
            trainHalf(h, 1, 11);
            h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, 8), at(8) + 1);
            assertThat(h.decisions.isEmpty()).isTrue();

            // when the full pass of step 12, after its batch, shows 98 of 100 examples learned
            trainHalf(h, 12, 12);
            h.losses.pipeInput(RUN, Events.fullPass(RUN, 12, everyExample(98)), at(12));

            // then the policy decides at step 12 on the full pass, stamped with its event time
            List<StopDecision> decisions = h.decisions.readValuesToList();
            assertThat(decisions).hasSize(1);
            StopDecision d = decisions.get(0);
            assertThat(d.getDecisionId()).isEqualTo("run-1:learned-fraction-v1:12");
            assertThat(d.getDecidedAtStep()).isEqualTo(12);
            assertThat(d.getCheckpointStep()).isEqualTo(8);
            assertThat(d.getReason()).startsWith("learned fraction 0.980 >= 0.97 at step 12");
            assertThat(d.getSignals().get(0).getSteps()).endsWith(11L, 12L).doesNotHaveDuplicates();
            assertThat(d.getTopHardExampleIds()).startsWith(98, 99);
            assertThat(h.state(RUN).decidedAtStep()).isEqualTo(12);
        }
    }

    @Test
    void shouldDeadLetterAFullPassThatIsNotOfTheCurrentStep() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run at step 6
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
            trainHalf(h, 1, 6);

            // when full passes of steps 5 and 7 arrive, and one of step 6 with a NaN loss
            float[] withNaN = everyExample(100);
            withNaN[3] = Float.NaN;
            h.losses.pipeInput(RUN, Events.fullPass(RUN, 5, everyExample(100)), at(6));
            h.losses.pipeInput(RUN, Events.fullPass(RUN, 7, everyExample(100)), at(7));
            h.losses.pipeInput(RUN, Events.fullPass(RUN, 6, withNaN), at(7));

            // then all three are dead-lettered at the validation stage and the run is as it was
            List<DeadLetter> letters = h.deadLetters.readValuesToList();
            assertThat(letters).extracting(DeadLetter::getStage).containsOnly(DeadLetters.VALIDATION);
            assertThat(letters).extracting(DeadLetter::getErrorMessage).containsExactly(
                    "full-pass step 5 is not the run's current step 6",
                    "full-pass step 7 is not the run's current step 6",
                    "loss NaN of example 3 at index 3 is not a finite non-negative number");
            RunState run = h.state(RUN);
            assertThat(run.step()).isEqualTo(6);
            assertThat(run.examplesSeen()).isEqualTo(50);
            assertThat(run.signals().values()).containsOnly(0.5);
        }
    }

    @Test
    void shouldDeadLetterAFullPassBeforeTheFirstStep() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run that has reported no step
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);

            // when a full pass of step 0 arrives
            h.losses.pipeInput(RUN, Events.fullPass(RUN, 0, everyExample(10)), T0 + 1);

            // then
            assertThat(h.deadLetters.readValue().getErrorMessage())
                    .isEqualTo("full-pass step 0 is not the run's current step (no step reported yet)");
            assertThat(h.state(RUN).examplesSeen()).isZero();
        }
    }
}
