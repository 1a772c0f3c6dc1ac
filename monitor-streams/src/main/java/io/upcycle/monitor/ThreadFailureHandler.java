package io.upcycle.monitor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies. Bad records never get here (they are dead-lettered), so
 * what does is a failure of the surroundings: broker, registry, producer fencing. Those are
 * logged and the thread is replaced; it resumes from the last committed offsets. A JVM
 * {@link Error} (out of memory...), or more than {@link #MAX_FAILURES} failures within
 * {@link #WINDOW}, shuts this instance down instead of spinning. The clock only paces restarts;
 * it never touches a decision.
 */
final class ThreadFailureHandler implements StreamsUncaughtExceptionHandler {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailureHandler.class);

    private final Clock clock;
    private final Deque<Long> failures = new ArrayDeque<>();

    ThreadFailureHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof Error) {
                LOG.error("stream thread died of {}; shutting the monitor down", t, exception);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
        }
        long now = clock.millis();
        failures.addLast(now);
        while (!failures.isEmpty() && failures.peekFirst() < now - WINDOW.toMillis()) {
            failures.removeFirst();
        }
        if (failures.size() > MAX_FAILURES) {
            LOG.error("{} stream thread failures within {}; shutting the monitor down", failures.size(), WINDOW, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.warn("stream thread failed; replacing it, it resumes from the last commit", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
