package io.upcycle.trainer;

/**
 * Which steps get a checkpoint: every power of two up to the budget (1, 2, 4, ...: early steps
 * matter most for merging), every {@code every} steps, and always the last step of a run (the
 * trainer adds that one itself, since a stopped run only knows its last step when it stops).
 *
 * @param powersOfTwo whether steps 1, 2, 4, ... are saved
 * @param every save every this many steps; 0 turns it off
 */
public record CheckpointSchedule(boolean powersOfTwo, long every) {

    public CheckpointSchedule {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, was " + every);
        }
    }

    /** Whether step {@code step} (1-based, counting completed optimizer steps) gets a checkpoint. */
    public boolean contains(long step) {
        if (step <= 0) {
            return false;
        }
        return (powersOfTwo && Long.bitCount(step) == 1) || (every > 0 && step % every == 0);
    }
}
