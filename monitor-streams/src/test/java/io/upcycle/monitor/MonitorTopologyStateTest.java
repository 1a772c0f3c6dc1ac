package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.monitor.state.CheckpointRef;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.avro.DeadLetter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorTopologyStateTest {
    static final String RUN = "run-1";
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    @Test
    void shouldKeepOneCompactEntryPerRunWithTheLatestLossOfEachExample() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run of 6 examples
            h.runs.pipeInput(RUN, Events.started(RUN, 6), T0);

            // when two steps report overlapping batches and a checkpoint follows
            h.losses.pipeInput(RUN, Events.losses(RUN, 1, new int[] {0, 1, 2}, new float[] {2f, 1.5f, 0.3f}), T0 + 1);
            h.losses.pipeInput(RUN, Events.losses(RUN, 2, new int[] {2, 3}, new float[] {0.05f, 0.7f}), T0 + 2);
            h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, 2), T0 + 3);

            // then
            assertThat(h.runIds()).containsExactly(RUN);
            RunState run = h.state(RUN);
            assertThat(run.exampleCount()).isEqualTo(6);
            assertThat(run.task()).isEqualTo("fortune-lang-8");
            assertThat(run.latestLosses()).containsExactly(2f, 1.5f, 0.05f, 0.7f, Float.NaN, Float.NaN);
            assertThat(run.step()).isEqualTo(2);
            assertThat(run.stepsObserved()).isEqualTo(2);
            assertThat(run.lossesObserved()).isEqualTo(5);
            assertThat(run.examplesSeen()).isEqualTo(4);
            assertThat(run.checkpoints()).containsExactly(new CheckpointRef(2, Events.uri(RUN, 2), Events.sha256(2), T0 + 3));
            assertThat(run.signals().steps()).containsExactly(1, 2);
            assertThat(run.signals().values()).containsExactly(0.0, 1.0 / 6);
            assertThat(run.decided()).isFalse();
        }
    }

    @Test
    void shouldAcceptTheStepsAfterTheResumePointAgainAndKeepTheCheckpointsWhenARunResumes() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run that reported steps 1..5 and checkpoints 2 and 4, then crashed
            h.runs.pipeInput(RUN, Events.started(RUN, 4), T0);
            for (int s = 1; s <= 5; s++) {
                h.losses.pipeInput(RUN, Events.losses(RUN, s, new int[] {s % 4}, new float[] {1f / s}), T0 + s);
            }
            h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, 2), T0 + 2);
            h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, 4), T0 + 4);

            // when it resumes from step 2 and publishes steps 3 and 4 again (not the checkpoint of step 4, which is logged)
            h.runs.pipeInput(RUN, Events.resumed(RUN, 4, 2), T0 + 10);
            h.losses.pipeInput(RUN, Events.losses(RUN, 3, new int[] {3}, new float[] {0.25f}), T0 + 11);
            h.losses.pipeInput(RUN, Events.losses(RUN, 4, new int[] {0}, new float[] {0.125f}), T0 + 12);

            // then
            assertThat(h.deadLetters.isEmpty()).isTrue();
            RunState run = h.state(RUN);
            assertThat(run.step()).isEqualTo(4);
            // the signal entries of steps 3..5 are replaced by those reported again
            assertThat(run.signals().steps()).containsExactly(1, 2, 3, 4);
            assertThat(run.checkpoints()).extracting(CheckpointRef::step).containsExactly(2L, 4L);
            assertThat(run.checkpoints().get(1).timestamp()).isEqualTo(T0 + 4);
            assertThat(run.latestLosses()[0]).isEqualTo(0.125f);
        }
    }

    @Test
    void shouldDeadLetterAFailureOfThePolicyAtTheProcessingStageAndKeepTheState(@TempDir Path dir) {
        // given a policy that fails on its third assessment
        MonitorConfig base = MonitorHarness.config(dir, Map.of());
        FailingPolicy policy = new FailingPolicy(3);
        MonitorConfig failing = base.withPolicy(policy);
        try (MonitorHarness h = new MonitorHarness(failing)) {
            h.runs.pipeInput(RUN, Events.started(RUN, 2), T0);

            // when four steps arrive, the second and third on example 1, the others on example 0
            for (int s = 1; s <= 4; s++) {
                h.losses.pipeInput(RUN, Events.losses(RUN, s, new int[] {s == 2 || s == 3 ? 1 : 0}, new float[] {s}), T0 + s);
            }

            // then the third is dead-lettered at the processing stage, and the fourth applies on the state of the second:
            // the arrays, read back by a replay of the input that skips the failed record, hold no loss of step 3
            assertThat(h.state(RUN).latestLosses()).containsExactly(4f, 2f);
            DeadLetter letter = h.deadLetters.readValue();
            assertThat(letter.getStage()).isEqualTo(DeadLetters.PROCESSING);
            assertThat(letter.getSourceOffset()).isEqualTo(2);
            assertThat(letter.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(h.state(RUN).signals().steps()).containsExactly(1, 2, 4);
            assertThat(h.state(RUN).stepsObserved()).isEqualTo(3);
        }
    }
}
