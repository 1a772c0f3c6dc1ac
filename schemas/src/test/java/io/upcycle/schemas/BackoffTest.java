package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BackoffTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Backoff backoff = new Backoff("the registry", Duration.ofMillis(250), Duration.ofSeconds(2),
            Duration.ofSeconds(10), LoggerFactory.getLogger(BackoffTest.class), nanos::get);

    @Test
    void shouldDoubleThePauseUpToItsMaximumAndGiveUpNamingWhatItAwaitedAfterTheDeadline() {
        // when the dependency fails every second
        StringBuilder pauses = new StringBuilder();
        for (int s = 0; s < 10; s++) {
            nanos.set(Duration.ofSeconds(s).toNanos());
            pauses.append(backoff.failed(new IllegalStateException("down")).toMillis()).append(' ');
        }

        // then
        assertThat(pauses.toString().trim()).isEqualTo("250 500 1000 2000 2000 2000 2000 2000 2000 2000");
        assertThat(backoff.waiting()).isTrue();
        nanos.set(Duration.ofSeconds(10).toNanos());
        assertThatThrownBy(() -> backoff.failed(new IllegalStateException("still down")))
                .isInstanceOf(Backoff.DeadlinePassed.class)
                .hasMessage("gave up waiting for the registry after 10 s and 11 attempts: still down");
    }

    @Test
    void shouldStartOverAfterTheDependencyRecovered() {
        // given a wait of 9 s
        backoff.failed(new IllegalStateException("down"));
        nanos.set(Duration.ofSeconds(9).toNanos());
        backoff.failed(new IllegalStateException("down"));

        // when it recovers and fails again later
        backoff.recovered();
        nanos.set(Duration.ofSeconds(30).toNanos());
        Duration first = backoff.failed(new IllegalStateException("down again"));
        nanos.set(Duration.ofSeconds(39).toNanos());

        // then the new outage has its own deadline and starts from the first pause
        assertThat(first).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.failed(new IllegalStateException("down again"))).isEqualTo(Duration.ofMillis(500));
        backoff.recovered();
        assertThat(backoff.waiting()).isFalse();
    }
}
