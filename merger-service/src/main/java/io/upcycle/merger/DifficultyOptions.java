package io.upcycle.merger;

/**
 * How the evaluation splits each task's training examples by early difficulty: EL2N under the
 * run's checkpoint at {@code referenceStep} (found next to the merged checkpoint, as
 * {@code step-<referenceStep>.safetensors}), the top {@code hardFraction} hard, the rest easy.
 * Defaults follow the paper's reviewer (32 fine-tuning steps) and the monitor's
 * {@code signal.hard.fraction} (0.1).
 */
public record DifficultyOptions(long referenceStep, double hardFraction) {
    public static final long DEFAULT_REFERENCE_STEP = 32;
    public static final double DEFAULT_HARD_FRACTION = 0.1;

    public DifficultyOptions {
        if (referenceStep < 0) {
            throw new IllegalArgumentException("difficulty reference step must be >= 0, was " + referenceStep);
        }
        if (!(hardFraction > 0 && hardFraction < 1)) {
            throw new IllegalArgumentException("hard fraction must be in (0, 1), was " + hardFraction);
        }
    }

    public static DifficultyOptions defaults() {
        return new DifficultyOptions(DEFAULT_REFERENCE_STEP, DEFAULT_HARD_FRACTION);
    }
}
