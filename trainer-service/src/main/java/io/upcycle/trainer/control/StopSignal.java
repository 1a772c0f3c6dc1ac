package io.upcycle.trainer.control;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stop request shared between whoever decides (a Kafka consumer thread, a test, a signal
 * handler) and the training loop, which checks it before every step.
 *
 * <p>It also remembers how many steps the loop had finished when the request arrived, so that a
 * run can prove it stopped within one step of being told to, and when each recent step's events
 * went out, so that a run can tell how long after its decided step it stopped.
 */
public final class StopSignal {
    private final AtomicReference<String> decisionId = new AtomicReference<>();
    private final AtomicLong stepsDone = new AtomicLong();
    private volatile long requestedAfterStep = -1;
    private volatile long decidedAtStep = -1;
    /** When each of the last {@link #REMEMBERED} steps' events were handed to the producer: step and nanoTime, by step modulo. */
    private final long[] publishedSteps = new long[REMEMBERED];
    private final long[] publishedNanos = new long[REMEMBERED];

    /** Steps whose publication time is remembered: a decision further back than this gets no latency. */
    static final int REMEMBERED = 4096;

    public StopSignal() {
        Arrays.fill(publishedSteps, -1);
    }

    /** Asks the run to stop; the first request wins, later ones are ignored. */
    public void request(String decision) {
        request(decision, -1);
    }

    /** Asks the run to stop by a decision taken at {@code decidedAtStep} (-1: none); the first request wins. */
    public void request(String decision, long decidedAtStep) {
        long seen = stepsDone.get();
        if (decisionId.compareAndSet(null, decision == null ? "" : decision)) {
            this.decidedAtStep = decidedAtStep;
            requestedAfterStep = seen;
        }
    }

    /** The step the stopping decision was taken at, if the request named one. */
    public OptionalLong decidedAtStep() {
        long step = decidedAtStep;
        return requested() && step >= 0 ? OptionalLong.of(step) : OptionalLong.empty();
    }

    /** Called by the loop once step {@code step}'s events were handed to the producer. */
    public void published(long step) {
        int slot = (int) (step % REMEMBERED);
        synchronized (publishedSteps) {
            publishedSteps[slot] = step;
            publishedNanos[slot] = System.nanoTime();
        }
    }

    /**
     * Milliseconds from the decided step's publication to {@code stoppedNanos} (when the loop stopped),
     * if a decision with a step stopped the run and that step's time is still remembered.
     */
    public OptionalDouble latencyMillis(long stoppedNanos) {
        OptionalLong step = decidedAtStep();
        if (step.isEmpty()) {
            return OptionalDouble.empty();
        }
        int slot = (int) (step.getAsLong() % REMEMBERED);
        synchronized (publishedSteps) {
            return publishedSteps[slot] == step.getAsLong()
                    ? OptionalDouble.of((stoppedNanos - publishedNanos[slot]) / 1e6) : OptionalDouble.empty();
        }
    }

    /** Whether a stop was requested. */
    public boolean requested() {
        return decisionId.get() != null;
    }

    /** The id of the decision that asked to stop (empty string for a stop without one). */
    public Optional<String> decisionId() {
        return Optional.ofNullable(decisionId.get());
    }

    /** Steps the loop had completed when the stop was requested. */
    public OptionalLong requestedAfterStep() {
        long step = requestedAfterStep;
        return step < 0 ? OptionalLong.empty() : OptionalLong.of(step);
    }

    /** Steps the loop has completed so far. */
    public long stepsDone() {
        return stepsDone.get();
    }

    /** Called by the loop after each completed step. */
    public void stepDone(long step) {
        stepsDone.set(step);
    }
}
