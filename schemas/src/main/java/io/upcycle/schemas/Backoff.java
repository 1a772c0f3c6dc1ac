package io.upcycle.schemas;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Waiting out a dependency that is down: delays doubling from {@code first} up to {@code max}, a
 * deadline after which waiting stops, and a log line when the wait starts, every
 * {@link #LOG_EVERY} while it lasts, and when it ends, each saying what is awaited. One per outage
 * at a time: {@link #recovered()} resets it.
 */
public final class Backoff {
    /** How often a continuing wait is logged again. */
    public static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final String awaited;
    private final Duration first;
    private final Duration max;
    private final Duration deadline;
    private final Logger log;
    private final LongSupplier nanoClock;
    private long since = -1;
    private long lastLogged;
    private long delayMillis;
    private int attempts;

    public Backoff(String awaited, Duration first, Duration max, Duration deadline, Logger log) {
        this(awaited, first, max, deadline, log, System::nanoTime);
    }

    /** As above, with the clock (nanoseconds) that times the wait. */
    public Backoff(String awaited, Duration first, Duration max, Duration deadline, Logger log, LongSupplier nanoClock) {
        this.awaited = awaited;
        this.first = first;
        this.max = max;
        this.deadline = deadline;
        this.log = log;
        this.nanoClock = nanoClock;
    }

    /** The dependency stayed down past the deadline: the caller stops waiting and fails, naming it. */
    public static class DeadlinePassed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadlinePassed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Records one more failure and returns how long to wait before trying again; throws
     * {@link DeadlinePassed}, naming what was awaited and for how long, once the deadline has passed.
     */
    public Duration failed(Throwable cause) {
        long now = nanoClock.getAsLong();
        attempts++;
        if (since < 0) {
            since = now;
            lastLogged = now;
            delayMillis = first.toMillis();
            log.warn("waiting for {} (up to {} s): {}", awaited, deadline.toSeconds(), cause.getMessage());
        } else {
            delayMillis = Math.min(max.toMillis(), delayMillis * 2);
            if (now - lastLogged >= LOG_EVERY.toNanos()) {
                lastLogged = now;
                log.warn("still waiting for {} after {} s ({} attempts): {}", awaited, Duration.ofNanos(now - since).toSeconds(),
                        attempts, cause.getMessage());
            }
        }
        if (now - since >= deadline.toNanos()) {
            throw new DeadlinePassed("gave up waiting for " + awaited + " after " + Duration.ofNanos(now - since).toSeconds()
                    + " s and " + attempts + " attempts: " + cause.getMessage(), cause);
        }
        return Duration.ofMillis(delayMillis);
    }

    /** Sleeps {@link #failed}'s delay; false when interrupted (the interrupt flag is set again). */
    public boolean sleepAfter(Throwable cause) {
        try {
            Thread.sleep(failed(cause).toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The dependency answered again: logs how long the wait took (if there was one) and resets. */
    public void recovered() {
        if (since >= 0) {
            log.info("{} is back after {} ms ({} attempts)", awaited, Duration.ofNanos(nanoClock.getAsLong() - since).toMillis(),
                    attempts);
        }
        since = -1;
        attempts = 0;
    }

    /** Whether a wait is under way. */
    public boolean waiting() {
        return since >= 0;
    }
}
