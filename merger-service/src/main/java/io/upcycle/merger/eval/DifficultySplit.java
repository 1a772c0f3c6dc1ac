package io.upcycle.merger.eval;

import java.util.Arrays;

/**
 * Splits a task's examples into hard and easy by their EL2N under an early checkpoint, the way the
 * monitor fixes its hard set: the top {@code hardFraction} by count (at least one, {@code
 * ceil(fraction * n)}) set the cut-off, every example with EL2N at or above it is hard (so ties at
 * the cut-off are all hard), and all other examples are easy.
 *
 * @param hard per example, whether it is hard
 * @param cutoff the EL2N at or above which an example is hard
 */
public record DifficultySplit(boolean[] hard, double cutoff) {

    /** The split of examples scored {@code el2n} at the reference checkpoint. */
    public static DifficultySplit of(double[] el2n, double hardFraction) {
        if (!(hardFraction > 0 && hardFraction < 1)) {
            throw new IllegalArgumentException("hard fraction must be in (0, 1), was " + hardFraction);
        }
        if (el2n.length == 0) {
            throw new IllegalArgumentException("cannot split an empty set of examples by difficulty");
        }
        double[] sorted = el2n.clone();
        Arrays.sort(sorted);
        int count = Math.max(1, (int) Math.ceil(hardFraction * sorted.length));
        double cutoff = sorted[sorted.length - count];
        boolean[] hard = new boolean[el2n.length];
        for (int i = 0; i < el2n.length; i++) {
            hard[i] = el2n[i] >= cutoff;
        }
        return new DifficultySplit(hard, cutoff);
    }

    /** How many examples are hard. */
    public int hardCount() {
        int count = 0;
        for (boolean h : hard) {
            count += h ? 1 : 0;
        }
        return count;
    }

    /** How many examples are easy. */
    public int easyCount() {
        return hard.length - hardCount();
    }
}
