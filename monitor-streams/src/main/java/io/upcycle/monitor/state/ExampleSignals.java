package io.upcycle.monitor.state;

import java.util.Arrays;

/**
 * The per-example signals of one run in dense arrays indexed by example id: the latest EL2N
 * ({@code NaN}: none yet), whether the example was last classified correctly, its forgetting events
 * (correct, then wrong) and its difficulty class once the hard set is fixed. About 7 bytes per
 * example. Mutable; the caller validates events before applying them. The arrays of signals read
 * from a run's state entry are allocated when first needed ({@link #allocate}): a query that reads
 * the entry alone does not pay for them.
 *
 * <p>Difficulty is fixed once, at the run's reference step ({@link #fixDifficulty}): the examples
 * with an EL2N by then are ranked, the top {@code hardFraction} of them (by count, at least one) are
 * hard, the bottom {@code easyFraction} are easy, and the two EL2N cut-offs are kept. An example
 * without an EL2N by then enters when its first EL2N arrives, classified by the same cut-offs
 * (hard when {@code el2n >= hardCutoff}, easy when {@code el2n <= easyCutoff}); ties at a cut-off
 * all join its class. EL2N serves the classification only, so once the difficulty is fixed the EL2N
 * array no longer changes: a later EL2N classifies its example (the first time) and is dropped.
 */
public final class ExampleSignals {
    static final byte CORRECT_KNOWN = 1;
    static final byte CORRECT = 2;
    static final byte HARD = 4;
    static final byte EASY = 8;
    static final byte CLASSIFIED = 16;

    /** Null until {@link #allocate}d. */
    float[] el2n;
    byte[] flags;
    short[] forgets;
    long forgettingEvents;
    float hardCutoff = Float.NaN;
    float easyCutoff = Float.NaN;
    long difficultyStep = -1;
    /** Not stored: whether any example has an EL2N (0: not known yet, 1: none, 2: some). */
    private byte el2nPresence;

    ExampleSignals(float[] el2n, byte[] flags, short[] forgets) {
        this.el2n = el2n;
        this.flags = flags;
        this.forgets = forgets;
    }

    static ExampleSignals empty(int exampleCount) {
        ExampleSignals signals = unallocated();
        signals.allocate(exampleCount);
        return signals;
    }

    /** Signals without arrays yet: {@link #allocate} gives them those of a new run. */
    static ExampleSignals unallocated() {
        return new ExampleSignals(null, null, null);
    }

    /** Gives the signals the arrays of a new run (no EL2N, nothing correct, no forgetting), unless they have arrays. */
    void allocate(int exampleCount) {
        if (el2n != null) {
            return;
        }
        el2n = new float[exampleCount];
        Arrays.fill(el2n, Float.NaN);
        flags = new byte[exampleCount];
        forgets = new short[exampleCount];
    }

    /** Records what one step (or full pass) said about {@code ids}; {@code correct} and {@code el2nValues} may be empty. */
    void record(int[] ids, boolean[] correct, float[] el2nValues) {
        if (el2nValues.length > 0 && ids.length > 0) {
            el2nPresence = 2;
        }
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (el2nValues.length > 0) {
                if (!difficultyFixed()) {
                    el2n[id] = el2nValues[i];
                } else if ((flags[id] & CLASSIFIED) == 0) {
                    classify(id, el2nValues[i]);
                }
            }
            if (correct.length > 0) {
                boolean wasCorrect = (flags[id] & (CORRECT_KNOWN | CORRECT)) == (CORRECT_KNOWN | CORRECT);
                if (wasCorrect && !correct[i]) {
                    forgettingEvents++;
                    forgets[id] = (short) Math.min(Short.MAX_VALUE, forgets[id] + 1);
                }
                flags[id] = (byte) ((flags[id] & ~CORRECT) | CORRECT_KNOWN | (correct[i] ? CORRECT : 0));
            }
        }
    }

    /**
     * Fixes the hard and easy sets from the EL2N known now, at {@code step}. Does nothing (and the
     * difficulty stays open) while no example has an EL2N.
     */
    void fixDifficulty(long step, double hardFraction, double easyFraction) {
        if (!anyEl2n()) {
            return; // checked without allocating: runs without EL2N ask at every step
        }
        float[] known = new float[el2n.length];
        int n = 0;
        for (float value : el2n) {
            if (!Float.isNaN(value)) {
                known[n++] = value;
            }
        }
        if (n == 0) {
            return;
        }
        Arrays.sort(known, 0, n);
        int hard = Math.max(1, (int) Math.ceil(hardFraction * n));
        int easy = Math.max(1, (int) Math.floor(easyFraction * n));
        hardCutoff = known[n - hard];
        easyCutoff = known[easy - 1];
        difficultyStep = step;
        classifyKnown();
    }

    /** The difficulty as fixed: its step and cut-offs (step -1: not fixed). */
    record Difficulty(long step, float hardCutoff, float easyCutoff) {
    }

    Difficulty difficulty() {
        return new Difficulty(difficultyStep, hardCutoff, easyCutoff);
    }

    /** Forgets the fixed difficulty (a replay of records applied before it was fixed); the class bits are not set yet then. */
    void unfix() {
        difficultyStep = -1;
        hardCutoff = Float.NaN;
        easyCutoff = Float.NaN;
    }

    /** Fixes the difficulty as {@code fixed} says, classifying the examples with an EL2N, as {@link #fixDifficulty} did then. */
    void fix(Difficulty fixed) {
        difficultyStep = fixed.step();
        hardCutoff = fixed.hardCutoff();
        easyCutoff = fixed.easyCutoff();
        classifyKnown();
    }

    /**
     * Classifies every example that has an EL2N by the cut-offs, once the difficulty is fixed. The
     * classes fixed at the reference step are a function of the EL2N frozen then and the two cut-offs,
     * so the store does not log them: {@link ExampleStore#load} calls this after reading the arrays.
     * Idempotent (it only sets class bits).
     */
    void classifyKnown() {
        if (!difficultyFixed()) {
            return;
        }
        for (int id = 0; id < el2n.length; id++) {
            if (!Float.isNaN(el2n[id])) {
                classify(id, el2n[id]);
            }
        }
    }

    /** Whether any example has an EL2N (scans the array once after a read). */
    boolean anyEl2n() {
        if (el2nPresence == 0) {
            el2nPresence = 1;
            for (float value : el2n) {
                if (!Float.isNaN(value)) {
                    el2nPresence = 2;
                    break;
                }
            }
        }
        return el2nPresence == 2;
    }

    private void classify(int id, float value) {
        byte cls = value >= hardCutoff ? HARD : value <= easyCutoff ? EASY : 0;
        flags[id] = (byte) (flags[id] | CLASSIFIED | cls);
    }

    public boolean difficultyFixed() {
        return difficultyStep >= 0;
    }

    /** The step at which the hard set was fixed, or -1. */
    public long difficultyStep() {
        return difficultyStep;
    }

    /** EL2N at or above which an example is hard; NaN before the difficulty is fixed. */
    public float hardCutoff() {
        return hardCutoff;
    }

    /** EL2N at or below which an example is easy; NaN before the difficulty is fixed. */
    public float easyCutoff() {
        return easyCutoff;
    }

    public boolean hard(int id) {
        return hard(flags[id]);
    }

    public boolean easy(int id) {
        return easy(flags[id]);
    }

    /** Whether an example with these flags is in the hard set. */
    static boolean hard(byte flags) {
        return (flags & HARD) != 0;
    }

    /** Whether an example with these flags is in the easy set. */
    static boolean easy(byte flags) {
        return (flags & EASY) != 0;
    }

    /**
     * Latest EL2N of each example (NaN: none yet) until the difficulty is fixed; from then on the
     * array stays as it was at the fix (an example classified later keeps NaN here, its class is in
     * its flags), so that saving a later step writes no EL2N. Not a copy: do not modify.
     */
    public float[] el2n() {
        return el2n;
    }

    /** Forgetting events of example {@code id} (saturates at {@link Short#MAX_VALUE}). */
    public int forgets(int id) {
        return forgets[id];
    }

    /** Forgetting events of the whole run. */
    public long forgettingEvents() {
        return forgettingEvents;
    }

    /**
     * One pass over {@code latestLosses}: what the per-step signals are made of. The reference for
     * the sums a {@link RunState} maintains incrementally ({@link RunState#summary}); loss sums are
     * exact ({@link ExactSum}), so both agree bit for bit.
     */
    public Summary summarize(float[] latestLosses, double learnedBelow) {
        int learned = 0;
        int hardCount = 0;
        int easyCount = 0;
        ExactSum total = new ExactSum();
        ExactSum hardLoss = new ExactSum();
        ExactSum easyLoss = new ExactSum();
        for (int id = 0; id < latestLosses.length; id++) {
            float loss = latestLosses[id];
            if (Float.isNaN(loss)) {
                continue;
            }
            learned += loss < learnedBelow ? 1 : 0;
            total.add(loss);
            if (hard(flags[id])) {
                hardLoss.add(loss);
                hardCount++;
            } else if (easy(flags[id])) {
                easyLoss.add(loss);
                easyCount++;
            }
        }
        return new Summary(learned, total.value(), hardLoss.value(), hardCount, easyLoss.value(), easyCount);
    }

    /** Sums over the seen examples: learned count, total loss, the hard set's and the easy set's loss and size. */
    public record Summary(int learned, double totalLoss, double hardLoss, int hardCount, double easyLoss, int easyCount) {
    }
}
