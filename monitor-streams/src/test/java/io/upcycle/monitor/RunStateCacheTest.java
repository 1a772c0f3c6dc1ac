package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.monitor.state.RunState;
import org.junit.jupiter.api.Test;

class RunStateCacheTest {
    @Test
    void shouldDropTheLeastRecentlyUsedRunsBeyondEitherBoundAndReturnThemForASnapshot() {
        // given a cache of at most 3 runs and 250 examples, holding runs a (100 examples) and b (100), a used last
        RunStateCache cache = new RunStateCache(3, 250);
        RunState a = RunState.started("a", "task", 100, 2, 4);
        RunState b = RunState.started("b", "task", 100, 2, 4);
        assertThat(cache.put("a", a)).isEmpty();
        assertThat(cache.put("b", b)).isEmpty();
        assertThat(cache.get("a")).isSameAs(a);

        // when a third run of 100 examples comes in (300 > 250)
        RunState c = RunState.started("c", "task", 100, 2, 4);

        // then the least recently used one (b) is dropped and handed back; the others stay
        assertThat(cache.put("c", c)).containsExactly(b);
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isSameAs(a);
        assertThat(cache.get("c")).isSameAs(c);
        // and a run larger than the bound alone stays, dropping all others
        RunState big = RunState.started("big", "task", 1000, 2, 4);
        assertThat(cache.put("big", big)).containsExactlyInAnyOrder(a, c);
        assertThat(cache.get("big")).isSameAs(big);
    }
}
