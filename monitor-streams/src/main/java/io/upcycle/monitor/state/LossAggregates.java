package io.upcycle.monitor.state;

import java.util.Arrays;

/**
 * The sums the per-step signals and the learned-fraction policy read, kept up to date from the
 * examples a step changed instead of rescanning the run: the number of seen examples below each
 * learned threshold asked for so far, and the exact loss sums of all seen examples, of the hard
 * set and of the easy set ({@link ExactSum}, so the values equal a full recomputation bit for bit).
 *
 * <p>Not stored: built by one scan on first use after a state is read or its difficulty is fixed,
 * then maintained by {@link #before} and {@link #after} around every change of losses or classes.
 *
 * <p>Each of the two first gathers the batch's distinct examples (loss and flags) into small
 * arrays, then accounts for them. On a large run every example read is a cache miss; in a loop of
 * their own the loads are independent, so the processor keeps many in flight. Accounting right
 * after each load chained them instead: an {@link ExactSum} bin is read and written per example and
 * the bin's address depends on the loaded loss, so each miss waited for the one before (on a
 * 1 M-example run {@code before} took about 110 ns per loss that way, against 14 on an 8 k one).
 */
final class LossAggregates {
    private final float[] latestLosses;
    private final ExampleSignals examples;
    private final long[] touched;
    /** The distinct examples of the batch being accounted for: their loss and flags, {@link #gathered} of them. */
    private float[] gatheredLosses = new float[64];
    private byte[] gatheredFlags = new byte[64];
    private int gathered;
    private boolean built;
    private double[] thresholds = new double[0];
    private int[] learned = new int[0];
    private final ExactSum total = new ExactSum();
    private final ExactSum hard = new ExactSum();
    private final ExactSum easy = new ExactSum();
    private int hardCount;
    private int easyCount;

    LossAggregates(float[] latestLosses, ExampleSignals examples) {
        this.latestLosses = latestLosses;
        this.examples = examples;
        this.touched = new long[(latestLosses.length + 63) / 64];
    }

    /** Before {@code ids} change (loss or class): takes each distinct one's contribution out. */
    void before(int[] ids) {
        if (!built) {
            return;
        }
        gather(ids, true);
        accountGathered(-1);
    }

    /** After {@code ids} changed: puts each distinct one's new contribution back. */
    void after(int[] ids) {
        if (!built) {
            return;
        }
        gather(ids, false);
        accountGathered(1);
    }

    /**
     * Reads the loss and flags of each of {@code ids} whose touched bit is {@code !set} (so each
     * distinct example once), and flips the bit: {@link #before} sets it, {@link #after} clears it.
     */
    private void gather(int[] ids, boolean set) {
        if (gatheredLosses.length < ids.length) {
            gatheredLosses = new float[ids.length];
            gatheredFlags = new byte[ids.length];
        }
        byte[] flags = examples.flags;
        int n = 0;
        for (int id : ids) {
            long bit = 1L << id;
            long word = touched[id >>> 6];
            if (((word & bit) == 0) == set) {
                touched[id >>> 6] = word ^ bit;
                gatheredLosses[n] = latestLosses[id];
                gatheredFlags[n] = flags[id];
                n++;
            }
        }
        gathered = n;
    }

    private void accountGathered(int sign) {
        for (int i = 0; i < gathered; i++) {
            account(gatheredLosses[i], gatheredFlags[i], sign);
        }
    }

    /** Many classes changed at once (the difficulty was fixed): rebuild on next use. */
    void invalidate() {
        built = false;
        thresholds = new double[0];
        learned = new int[0];
    }

    /** Seen examples whose latest loss is below {@code threshold}. */
    int learnedBelow(double threshold) {
        build();
        for (int i = 0; i < thresholds.length; i++) {
            if (thresholds[i] == threshold) {
                return learned[i];
            }
        }
        int count = 0;
        for (float loss : latestLosses) {
            count += loss < threshold ? 1 : 0; // NaN (unseen) compares false
        }
        thresholds = Arrays.copyOf(thresholds, thresholds.length + 1);
        learned = Arrays.copyOf(learned, learned.length + 1);
        thresholds[thresholds.length - 1] = threshold;
        learned[learned.length - 1] = count;
        return count;
    }

    /** The summary {@link ExampleSignals#summarize} would compute, from the maintained sums. */
    ExampleSignals.Summary summary(double learnedBelow) {
        int learnedCount = learnedBelow(learnedBelow);
        return new ExampleSignals.Summary(learnedCount, total.value(), hard.value(), hardCount, easy.value(), easyCount);
    }

    private void build() {
        if (built) {
            return;
        }
        total.clear();
        hard.clear();
        easy.clear();
        hardCount = 0;
        easyCount = 0;
        built = true;
        byte[] flags = examples.flags;
        for (int id = 0; id < latestLosses.length; id++) {
            account(latestLosses[id], flags[id], 1);
        }
    }

    /** Adds ({@code sign} 1) or takes away (-1) the contribution of an example with {@code loss} and {@code flags}. */
    private void account(float loss, byte flags, int sign) {
        if (Float.isNaN(loss)) {
            return;
        }
        for (int i = 0; i < thresholds.length; i++) {
            if (loss < thresholds[i]) {
                learned[i] += sign;
            }
        }
        ExactSum set = ExampleSignals.hard(flags) ? hard : ExampleSignals.easy(flags) ? easy : null;
        if (sign > 0) {
            total.add(loss);
            if (set != null) {
                set.add(loss);
            }
        } else {
            total.subtract(loss);
            if (set != null) {
                set.subtract(loss);
            }
        }
        if (set == hard) {
            hardCount += sign;
        } else if (set == easy) {
            easyCount += sign;
        }
    }
}
