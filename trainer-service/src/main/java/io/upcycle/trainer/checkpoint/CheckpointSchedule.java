package io.upcycle.trainer.checkpoint;

/**
 * Which steps get a checkpoint. Two grids:
 * <ul>
 *   <li>the <b>resume grid</b>: every power of two up to the budget (1, 2, 4, ...: early steps
 *       matter most for merging) and every {@code every} steps; these checkpoints also save the
 *       training state (optimizer moments, data order), so a crashed run resumes from them;</li>
 *   <li>the <b>merge grid</b>: {@code perOctave} evenly spaced steps in every octave
 *       {@code [2^k, 2^(k+1))} (all steps below {@code perOctave}), so that a stop decision at any
 *       step finds a checkpoint within {@code 1/perOctave} of it to merge (weights only, no state).</li>
 * </ul>
 * The last step of a run is always saved; the trainer adds it itself, since a stopped run only
 * knows its last step when it stops.
 *
 * @param powersOfTwo whether steps 1, 2, 4, ... are saved
 * @param every save every this many steps; 0 turns it off
 * @param perOctave merge-grid steps per octave, a power of two; 0 turns it off (1 is the powers of two)
 */
public record CheckpointSchedule(boolean powersOfTwo, long every, int perOctave) {

    public CheckpointSchedule {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, was " + every);
        }
        if (perOctave < 0 || Integer.bitCount(perOctave) > 1) {
            throw new IllegalArgumentException("checkpoints per octave must be 0 or a power of two, was " + perOctave);
        }
    }

    /** The resume grid alone: no merge grid. */
    public CheckpointSchedule(boolean powersOfTwo, long every) {
        this(powersOfTwo, every, 0);
    }

    /** Whether step {@code step} (1-based, counting completed optimizer steps) gets a checkpoint. */
    public boolean contains(long step) {
        return savesState(step) || onMergeGrid(step);
    }

    /** Whether step {@code step} is on the resume grid, whose checkpoints save the training state too. */
    public boolean savesState(long step) {
        if (step <= 0) {
            return false;
        }
        return (powersOfTwo && Long.bitCount(step) == 1) || (every > 0 && step % every == 0);
    }

    private boolean onMergeGrid(long step) {
        if (step <= 0 || perOctave == 0) {
            return false;
        }
        long spacing = Math.max(1, Long.highestOneBit(step) / perOctave);
        return step % spacing == 0;
    }
}
