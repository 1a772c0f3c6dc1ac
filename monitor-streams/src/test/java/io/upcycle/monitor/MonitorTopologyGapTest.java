package io.upcycle.monitor;

import static io.upcycle.monitor.MonitorTopologyDecisionTest.EXAMPLES;
import static io.upcycle.monitor.MonitorTopologyDecisionTest.RUN;
import static io.upcycle.monitor.MonitorTopologyDecisionTest.at;
import static io.upcycle.monitor.MonitorTopologyDecisionTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.StepGaps;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose log misses steps (a trainer that lost events) is flagged, not silently accepted. */
class MonitorTopologyGapTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldDeadLetterAGapNamingTheMissingStepsMarkTheRunIncompleteAndSayItInTheDecision() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run at steps 1..3, then steps 4..6 lost, then steps 7..14 (the learned fraction is 0.98 from step 10;
            // min.steps counts the steps observed, so the policy may fire at step 13, its 10th)
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), at(0));
            for (long s = 1; s <= 3; s++) {
                step(h, s, (int) (10 * s));
            }
            h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, 3), at(3) + 1);

            // when
            for (long s = 7; s <= 14; s++) {
                step(h, s, (int) Math.min(98, 10 * s));
            }

            // then one dead letter, of the record that showed the gap, naming the missing steps
            List<DeadLetter> letters = h.deadLetters.readValuesToList();
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter.getStage()).isEqualTo(DeadLetters.MISSING_STEPS);
            assertThat(letter.getSourceTopic()).isEqualTo(Topics.EXAMPLE_LOSSES);
            assertThat(letter.getSourceOffset()).isEqualTo(3);
            assertThat(letter.getErrorMessage()).contains("run '" + RUN + "' is missing steps 4-6 (3 missing)")
                    .contains("before this record's step 7");
            // and the record itself was applied, the run marked incomplete
            RunState state = h.state(RUN);
            assertThat(state.step()).isEqualTo(14);
            assertThat(state.stepsObserved()).isEqualTo(11);
            assertThat(state.incomplete()).isTrue();
            assertThat(state.gaps().ranges()).containsExactly(new StepGaps.Range(4, 6));
            // and the decision says how many steps it was computed without
            List<StopDecision> decisions = h.decisions.readValuesToList();
            assertThat(decisions).hasSize(1);
            assertThat(decisions.get(0).getDecidedAtStep()).isEqualTo(13);
            assertThat(decisions.get(0).getMissingSteps()).isEqualTo(3);
            assertThat(decisions.get(0).getReason()).endsWith("; incomplete log: steps 4-6 (3 missing) never arrived");
        }
    }

    @Test
    void shouldFlagMissingFirstStepsAndNotFlagAResumeOrACompleteRun() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run whose first reported step is 3, and one that resumes from step 2 after reporting 1..4
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), at(0));
            step(h, 3, 10);
            h.runs.pipeInput("other", Events.started("other", 4), at(0));
            for (long s = 1; s <= 4; s++) {
                h.losses.pipeInput("other", Events.losses("other", s, new int[] {0}, new float[] {0.5f}), at(s));
            }
            h.runs.pipeInput("other", Events.resumed("other", 4, 2), at(5));
            for (long s = 3; s <= 5; s++) {
                h.losses.pipeInput("other", Events.losses("other", s, new int[] {1}, new float[] {0.5f}), at(5 + s));
            }

            // then only the first run's steps 1-2 are flagged
            assertThat(h.deadLetters.readValuesToList()).extracting(DeadLetter::getErrorMessage)
                    .singleElement().asString().contains("run '" + RUN + "' is missing steps 1-2 (2 missing)");
            assertThat(h.state(RUN).gaps().missing()).isEqualTo(2);
            assertThat(h.state("other").incomplete()).isFalse();
            assertThat(h.state("other").step()).isEqualTo(5);
        }
    }
}
