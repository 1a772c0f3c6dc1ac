package io.upcycle.trainer.control;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stop request shared between whoever decides (a Kafka consumer thread, a test, a signal
 * handler) and the training loop, which checks it before every step.
 *
 * <p>It also remembers how many steps the loop had finished when the request arrived, so that a
 * run can prove it stopped within one step of being told to.
 */
public final class StopSignal {
    private final AtomicReference<String> decisionId = new AtomicReference<>();
    private final AtomicLong stepsDone = new AtomicLong();
    private volatile long requestedAfterStep = -1;

    /** Asks the run to stop; the first request wins, later ones are ignored. */
    public void request(String decision) {
        long seen = stepsDone.get();
        if (decisionId.compareAndSet(null, decision == null ? "" : decision)) {
            requestedAfterStep = seen;
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

    /** Called by the loop after each completed step. */
    public void stepDone(long step) {
        stepsDone.set(step);
    }
}
