package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;

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
}
