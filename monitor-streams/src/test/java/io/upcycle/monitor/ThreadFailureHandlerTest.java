package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.registry.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailureHandlerTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final List<Duration> pauses = new ArrayList<>();

    /** A clock set by hand, in milliseconds since the epoch. */
    private static final class ManualClock extends Clock {
        private final AtomicLong millis = new AtomicLong();

        void set(long value) {
            millis.set(value);
        }

        void addAndGet(long delta) {
            millis.addAndGet(delta);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    private ThreadFailureHandler handler(Clock at) {
        return new ThreadFailureHandler(at, "http://registry", Duration.ofSeconds(60), pauses::add);
    }

    private static StreamsException registryDown() {
        return new StreamsException(new SerializationException("cannot decode",
                new RegistryException("registry http://registry unreachable", -1, -1, null)));
    }

    @Test
    void shouldWaitOutARegistryOutageWithoutCountingItAndGiveUpNamingTheRegistryAfterTheOutageWait() {
        // given a clock that moves 1 s per failure
        ManualClock millis = new ManualClock();
        ThreadFailureHandler handler = handler(millis);

        // when the registry stays down for 59 s, failing the thread every second (far more than MAX_FAILURES)
        for (int s = 0; s < 60; s++) {
            millis.set(s * 1000L);
            assertThat(handler.handle(registryDown())).as("second " + s).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }

        // then the thread was replaced every time, after pauses doubling from 0.5 s to at most 5 s
        assertThat(pauses).startsWith(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(5)).hasSize(60);
        assertThat(pauses).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(ThreadFailureHandler.MAX_PAUSE));
        // and at 60 s of outage the instance shuts down
        millis.set(60_000);
        assertThat(handler.handle(registryDown())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldStartANewOutageAfterTheRegistryWasQuiet() {
        // given an outage of 50 s, then quiet for longer than OUTAGE_QUIET
        ManualClock millis = new ManualClock();
        ThreadFailureHandler handler = handler(millis);
        handler.handle(registryDown());
        millis.set(50_000);
        handler.handle(registryDown());

        // when the registry fails again after the quiet time, and again 59 s into that second outage
        millis.set(50_000 + ThreadFailureHandler.OUTAGE_QUIET.toMillis() + 1_000);
        StreamThreadExceptionResponse second = handler.handle(registryDown());
        millis.addAndGet(59_000);
        StreamThreadExceptionResponse later = handler.handle(registryDown());

        // then both are waited out: the deadline counts from the second outage's start
        assertThat(second).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(later).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(pauses.get(2)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldReplaceTheThreadAfterAFailureOfTheSurroundings() {
        // given
        ThreadFailureHandler handler = handler(clock);

        // when
        StreamThreadExceptionResponse response = handler.handle(new StreamsException(new TimeoutException("broker")));

        // then
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldShutDownOnAJvmError() {
        assertThat(handler(clock).handle(new StreamsException(new OutOfMemoryError("heap"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldShutDownRatherThanSpinWhenFailuresRepeat() {
        // given
        ThreadFailureHandler handler = handler(clock);
        for (int i = 0; i < ThreadFailureHandler.MAX_FAILURES; i++) {
            assertThat(handler.handle(new StreamsException("again"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }

        // when
        StreamThreadExceptionResponse response = handler.handle(new StreamsException("once too often"));

        // then
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
