package io.upcycle.monitor;

import io.upcycle.schemas.Backoff;
import io.upcycle.schemas.registry.RegistryOutage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
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
 *
 * <p>A schema registry that is down is waited out, not counted: the thread that could not decode
 * a record is replaced after a pause that doubles up to {@link #MAX_PAUSE} (the record is retried
 * from the last commit, never dead-lettered), with a log line saying what it waits for, until
 * {@code outage.wait.ms} has passed since the outage began; then the instance shuts down naming
 * the registry. An outage ends when no registry failure came for {@link #OUTAGE_QUIET}.
 */
final class ThreadFailureHandler implements StreamsUncaughtExceptionHandler {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailureHandler.class);

    static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    // longer than a thread replacement takes (a rebalance: 40-45 s measured in MonitorRegistryOutageIT on 2 cores)
    static final Duration OUTAGE_QUIET = Duration.ofMinutes(2);

    private final Clock clock;
    private final Consumer<Duration> sleeper;
    private final Deque<Long> failures = new ArrayDeque<>();
    private final Backoff registryWait;
    private long lastRegistryFailure = Long.MIN_VALUE;

    ThreadFailureHandler(Clock clock, String registryUrl, Duration outageWait) {
        this(clock, registryUrl, outageWait, ThreadFailureHandler::sleep);
    }

    ThreadFailureHandler(Clock clock, String registryUrl, Duration outageWait, Consumer<Duration> sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.registryWait = new Backoff("the schema registry at " + registryUrl, Duration.ofMillis(500), MAX_PAUSE, outageWait,
                LOG, () -> clock.millis() * 1_000_000L);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        if (RegistryOutage.isOutage(exception)) {
            return registryDown(exception, now);
        }
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

    private StreamThreadExceptionResponse registryDown(Throwable exception, long now) {
        if (registryWait.waiting() && now - lastRegistryFailure > OUTAGE_QUIET.toMillis()) {
            registryWait.recovered();
        }
        lastRegistryFailure = now;
        Duration pause;
        try {
            pause = registryWait.failed(new IllegalStateException(RegistryOutage.describe(exception)));
        } catch (Backoff.DeadlinePassed e) {
            LOG.error("{}; shutting the monitor down (restart it once the registry is back: it resumes from the last commit)",
                    e.getMessage(), exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        sleeper.accept(pause);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
