package io.upcycle.trainer.optimizer;

import java.util.Locale;

/**
 * How the learning rate moves over a run's budget: {@code constant}, or {@code cosine} decay from
 * the base rate at step 1 towards zero at the end of the budget. The rate of a step is the base
 * rate (the configured one, or the last {@code SET_LEARNING_RATE} command's) times {@link #factor}.
 */
public enum LearningRateSchedule {
    CONSTANT,
    COSINE;

    /** The multiplier of the base rate at {@code step} (1-based) of a {@code budget}-step run. */
    public double factor(long step, long budget) {
        if (this == CONSTANT) {
            return 1.0;
        }
        double progress = Math.min(1.0, Math.max(0.0, (double) (step - 1) / budget));
        return 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }

    /** The rate in force at {@code step}, as the float the optimizer uses and StepMetrics reports. */
    public float rate(float base, long step, long budget) {
        return (float) (base * factor(step, budget));
    }

    /** The name as configured ({@code constant}, {@code cosine}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configured name, case-insensitively. */
    public static LearningRateSchedule parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
