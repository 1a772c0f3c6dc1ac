package io.upcycle.trainer.events;

/**
 * The event time stamped on a run's records. Downstream decisions use record timestamps only,
 * so the trainer passes them explicitly instead of letting the producer read the wall clock.
 */
@FunctionalInterface
public interface EventClock {

    /** Event time, in epoch milliseconds, of the records about {@code step} (0 = run start). */
    long at(long step);

    /** Deterministic time: the run's start plus one millisecond per step. */
    static EventClock stepped(long startMillis) {
        return step -> startMillis + step;
    }

    /** Wall-clock time when the record is made. */
    static EventClock wall() {
        return step -> System.currentTimeMillis();
    }
}
