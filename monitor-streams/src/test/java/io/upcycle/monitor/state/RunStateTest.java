package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunStateTest {
    @Test
    void shouldPickTheLatestCheckpointAtOrBeforeTheStepStampedStrictlyEarlier() {
        // given checkpoints of steps 4, 8 and 10, stamped 40, 80 and 100
        RunState run = RunState.started("run", "grain", 4, 2, 8);
        run.addCheckpoint(new CheckpointRef(4, "u4", "s4", 40));
        run.addCheckpoint(new CheckpointRef(8, "u8", "s8", 80));
        run.addCheckpoint(new CheckpointRef(10, "u10", "s10", 100));

        // then
        assertThat(run.checkpointFor(10, 101)).map(CheckpointRef::step).contains(10L);
        assertThat(run.checkpointFor(10, 100)).map(CheckpointRef::step).contains(8L);
        assertThat(run.checkpointFor(9, 200)).map(CheckpointRef::step).contains(8L);
        assertThat(run.checkpointFor(3, 200)).isEmpty();
    }

    @Test
    void shouldKeepTheMostRecentCheckpointsAndOlderOnesAtPowersOfTwo() {
        // given
        RunState run = RunState.started("run", "grain", 4, 2, 8);

        // when
        for (int s = 1; s <= RunState.MAX_CHECKPOINTS + 5; s++) {
            run.addCheckpoint(new CheckpointRef(s, "u", "s", s));
        }

        // then the newest 32 (steps 6-37) are kept, and of the older 1-5 those at powers of two
        assertThat(run.checkpoints()).extracting(CheckpointRef::step).startsWith(1L, 2L, 4L, 6L, 7L)
                .hasSize(RunState.MAX_CHECKPOINTS + 3);
        assertThat(run.lastCheckpointStep()).isEqualTo(RunState.MAX_CHECKPOINTS + 5);
        assertThat(run.checkpointFor(5, 100).orElseThrow().step()).isEqualTo(4);
    }

    @Test
    void shouldCountDistinctExamplesSeenAndKeepTheLatestLoss() {
        // given
        RunState run = RunState.started("run", "grain", 3, 2, 8);

        // when
        run.applyLosses(1, new int[] {0, 1}, new float[] {1f, 2f});
        run.applyLosses(2, new int[] {1, 1}, new float[] {0.5f, 0.25f});

        // then
        assertThat(run.examplesSeen()).isEqualTo(2);
        assertThat(run.latestLosses()).containsExactly(1f, 0.25f, Float.NaN);
        assertThat(run.lossesObserved()).isEqualTo(4);
    }

    @Test
    void shouldReopenTheRunAndAcceptTheStepsAfterTheResumePointWhenResumed() {
        // given a run that failed after step 6
        RunState run = RunState.started("run", "grain", 3, 2, 8);
        for (int s = 1; s <= 6; s++) {
            run.applyLosses(s, new int[] {0}, new float[] {s});
            run.signals().add(s, s);
        }
        run.addCheckpoint(new CheckpointRef(3, "u3", "s3", 3));
        run.addCheckpoint(new CheckpointRef(6, "u6", "s6", 6));
        run.end(6);

        // when it resumes from step 3
        run.resumeFrom(3);

        // then it is open from step 3 on; checkpoints stay, signal entries stay until their steps come again
        assertThat(run.step()).isEqualTo(3);
        assertThat(run.ended()).isFalse();
        assertThat(run.finalStep()).isEqualTo(-1);
        assertThat(run.lastCheckpointStep()).isEqualTo(6);
        run.signals().add(4, 40);
        assertThat(run.signals().steps()).containsExactly(1, 2, 3, 4);
        assertThat(run.signals().values()).containsExactly(1, 2, 3, 40);
    }

    @Test
    void shouldUpdateEveryLossButNotTheStepOnAFullPass() {
        // given a run at step 2 that has seen example 0 only
        RunState run = RunState.started("run", "grain", 3, 2, 8);
        run.applyLosses(1, new int[] {0}, new float[] {2f});
        run.applyLosses(2, new int[] {0}, new float[] {1f});

        // when
        run.applyFullPass(new int[] {0, 1, 2}, new float[] {0.5f, 0.25f, 3f});

        // then
        assertThat(run.latestLosses()).containsExactly(0.5f, 0.25f, 3f);
        assertThat(run.examplesSeen()).isEqualTo(3);
        assertThat(run.step()).isEqualTo(2);
        assertThat(run.stepsObserved()).isEqualTo(2);
    }
}
