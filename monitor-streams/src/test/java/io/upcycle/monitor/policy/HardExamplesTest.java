package io.upcycle.monitor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HardExamplesTest {
    @Test
    void shouldListTheHighestLossesFirstSkippingUnseenAndBreakingTiesByLowerId() {
        // given
        float[] losses = {0.5f, Float.NaN, 3f, 0.5f, 9f, 0.1f, 3f};

        // when
        int[] top = HardExamples.top(losses, 4);

        // then
        assertThat(top).containsExactly(4, 2, 6, 0);
    }

    @Test
    void shouldReturnFewerWhenFewerWereSeen() {
        assertThat(HardExamples.top(new float[] {Float.NaN, 1f}, 10)).containsExactly(1);
        assertThat(HardExamples.top(new float[] {1f}, 0)).isEmpty();
    }

    @Test
    void shouldAgreeWithAFullSortOnRandomLosses() {
        // given
        Random random = new Random(3);
        float[] losses = new float[5_000];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = random.nextInt(50) / 10f; // many ties
        }

        // when
        int[] top = HardExamples.top(losses, 25);

        // then
        int[] sorted = IntStream.range(0, losses.length).boxed()
                .sorted((a, b) -> losses[a] != losses[b] ? Float.compare(losses[b], losses[a]) : Integer.compare(a, b))
                .limit(25).mapToInt(Integer::intValue).toArray();
        assertThat(top).containsExactly(sorted);
    }
}
