package io.upcycle.monitor.tracking;

/**
 * How the per-run evidence signals are computed (config keys {@code signal.*}).
 *
 * @param referenceStep the hard set is fixed from the EL2N known when the first step after this one arrives
 * @param hardFraction share of the examples ranked by EL2N at the reference step that form the hard set (top)
 * @param easyFraction share that forms the easy set (bottom)
 * @param learnedLossThreshold an example whose latest loss is below this counts as learned
 * @param easyPlateauSteps the easy set's mean loss is compared with its value this many steps earlier
 * @param easyPlateauEpsilon relative improvement below which the easy set has plateaued
 */
public record SignalSettings(long referenceStep, double hardFraction, double easyFraction, double learnedLossThreshold,
                             int easyPlateauSteps, double easyPlateauEpsilon) {
    /** The defaults: reference step 32, hard top 10%, easy bottom 50%, learned below 0.1, plateau 8 steps, 1%. */
    public static final SignalSettings DEFAULTS = new SignalSettings(32, 0.1, 0.5, 0.1, 8, 0.01);

    public SignalSettings {
        if (referenceStep < 0) {
            throw new IllegalArgumentException("referenceStep must be >= 0, got " + referenceStep);
        }
        if (!(hardFraction > 0 && hardFraction < 1)) {
            throw new IllegalArgumentException("hardFraction must be in (0, 1), got " + hardFraction);
        }
        if (!(easyFraction > 0 && easyFraction + hardFraction <= 1)) {
            throw new IllegalArgumentException("easyFraction must be in (0, 1 - hardFraction], got " + easyFraction);
        }
        if (!(learnedLossThreshold > 0) || Double.isInfinite(learnedLossThreshold)) {
            throw new IllegalArgumentException("learnedLossThreshold must be a positive number, got " + learnedLossThreshold);
        }
        if (easyPlateauSteps < 1) {
            throw new IllegalArgumentException("easyPlateauSteps must be >= 1, got " + easyPlateauSteps);
        }
        if (!(easyPlateauEpsilon >= 0) || Double.isInfinite(easyPlateauEpsilon)) {
            throw new IllegalArgumentException("easyPlateauEpsilon must be a number >= 0, got " + easyPlateauEpsilon);
        }
    }
}
