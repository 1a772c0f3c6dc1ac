package io.upcycle.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CheckpointScheduleTest {

    @Test
    void shouldSavePowersOfTwoAndMultiplesOfTheInterval() {
        // given
        CheckpointSchedule schedule = new CheckpointSchedule(true, 100);
        // when
        long[] steps = LongStream.rangeClosed(0, 300).filter(schedule::contains).toArray();
        // then
        assertThat(steps).containsExactly(1, 2, 4, 8, 16, 32, 64, 100, 128, 200, 256, 300);
    }

    @Test
    void shouldSaveNothingOnScheduleWhenBothAreOff() {
        // given
        CheckpointSchedule schedule = new CheckpointSchedule(false, 0);
        // then
        assertThat(LongStream.rangeClosed(0, 1000).filter(schedule::contains)).isEmpty();
    }

    @Test
    void shouldPlacePerOctaveCheckpointsWithinOneOverPerOctaveOfAnyStepAndStateOnlyOnTheResumeGrid() {
        // given powers of two, every 256 steps and 4 merge checkpoints per octave
        CheckpointSchedule schedule = new CheckpointSchedule(true, 256, 4);
        // then all steps below 4, then 4 per octave: 4 5 6 7, 8 10 12 14, 16 20 24 28, ...
        assertThat(LongStream.rangeClosed(0, 40).filter(schedule::contains).toArray())
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40);
        // and every step of a long run has a checkpoint at or below it within a quarter of it
        for (long step = 1; step <= 8192; step++) {
            long s = step;
            long latest = LongStream.rangeClosed(1, step).filter(schedule::contains).max().orElseThrow();
            assertThat(latest).as("latest checkpoint at or below step %d", s).isGreaterThanOrEqualTo(step - step / 4);
        }
        // and only the resume grid (powers of two, multiples of 256) saves the training state
        assertThat(LongStream.rangeClosed(0, 1024).filter(schedule::savesState).toArray())
                .containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 768, 1024);
    }

    @Test
    void shouldRefuseAPerOctaveCountThatIsNotAPowerOfTwo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CheckpointSchedule(true, 0, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two, was 6");
    }
}
