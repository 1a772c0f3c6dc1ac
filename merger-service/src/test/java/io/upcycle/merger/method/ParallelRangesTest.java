package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelRangesTest {

    @Test
    void shouldHandEveryValueToExactlyOneWorkerInRangesOfAtMostTheGivenSize() {
        // given
        long n = 10_007;
        AtomicIntegerArray seen = new AtomicIntegerArray((int) n);

        // when each worker sums the sizes of the ranges it took
        List<long[]> states = ParallelRanges.run(n, 333, () -> new long[1], (state, from, count) -> {
            assertThat(count).isBetween(1, 333);
            for (int i = 0; i < count; i++) {
                seen.incrementAndGet((int) (from + i));
            }
            state[0] += count;
        });

        // then every value was seen once and the workers' shares add up
        for (int i = 0; i < n; i++) {
            assertThat(seen.get(i)).as("value %d", i).isEqualTo(1);
        }
        assertThat(states).hasSizeBetween(1, ParallelRanges.threads());
        assertThat(states.stream().mapToLong(s -> s[0]).sum()).isEqualTo(n);
    }

    @Test
    void shouldRethrowAWorkersFailureAfterTheOthersAreDone() {
        // given a task that fails while the others run
        AtomicIntegerArray done = new AtomicIntegerArray(4);

        // when / then
        assertThatThrownBy(() -> ParallelRanges.each(4, i -> {
            if (i == 3) {
                throw new IllegalStateException("tensor 'w' of expert 3: unreadable");
            }
            done.set(i, 1);
        })).isInstanceOf(IllegalStateException.class).hasMessage("tensor 'w' of expert 3: unreadable");
        assertThat(done.get(0) + done.get(1) + done.get(2)).isEqualTo(3);
    }
}
