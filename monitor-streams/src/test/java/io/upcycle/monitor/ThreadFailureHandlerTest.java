package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailureHandlerTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldReplaceTheThreadAfterAFailureOfTheSurroundings() {
        // given
        ThreadFailureHandler handler = new ThreadFailureHandler(clock);

        // when
        StreamThreadExceptionResponse response = handler.handle(new StreamsException(new TimeoutException("broker")));

        // then
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldShutDownOnAJvmError() {
        assertThat(new ThreadFailureHandler(clock).handle(new StreamsException(new OutOfMemoryError("heap"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldShutDownRatherThanSpinWhenFailuresRepeat() {
        // given
        ThreadFailureHandler handler = new ThreadFailureHandler(clock);
        for (int i = 0; i < ThreadFailureHandler.MAX_FAILURES; i++) {
            assertThat(handler.handle(new StreamsException("again"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }

        // when
        StreamThreadExceptionResponse response = handler.handle(new StreamsException("once too often"));

        // then
        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
