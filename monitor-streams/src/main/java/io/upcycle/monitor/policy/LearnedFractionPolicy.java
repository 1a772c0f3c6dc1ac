package io.upcycle.monitor.policy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Stops a run once it has learned nearly all of its training set: the learned fraction, the
 * share of training examples whose most recent loss is below {@code lossThreshold}, reaches
 * {@code targetFraction}. Examples not seen yet count as not learned, so the fraction cannot
 * reach the target before the run has covered its data. No decision before {@code minSteps}
 * steps of losses (a warm-up for tiny training sets).
 *
 * <p>Why this signal: on this project's real tasks it stopped each expert at its own step,
 * needed no validation set, and recovered most of the merge accuracy that full-length training
 * loses (EVIDENCE.md), where a "hard-set loss share" rule did not transfer between tasks.
 */
public final class LearnedFractionPolicy extends NamedPolicy {
    public static final String NAME = "learned-fraction";
    public static final int VERSION = 1;
    public static final String LOSS_THRESHOLD = "loss.threshold";
    public static final String TARGET_FRACTION = "target.fraction";
    public static final String MIN_STEPS = "min.steps";
    public static final double DEFAULT_LOSS_THRESHOLD = 0.1;
    public static final double DEFAULT_TARGET_FRACTION = 0.97;
    public static final long DEFAULT_MIN_STEPS = 10;

    private final double lossThreshold;
    private final double targetFraction;
    private final long minSteps;

    public LearnedFractionPolicy(double lossThreshold, double targetFraction, long minSteps) {
        super(NAME, VERSION, NAME);
        if (!(lossThreshold > 0) || Double.isInfinite(lossThreshold)) {
            throw new PolicyParameterException(LOSS_THRESHOLD, LOSS_THRESHOLD + " must be a positive number, got " + lossThreshold);
        }
        if (!(targetFraction > 0 && targetFraction <= 1)) {
            throw new PolicyParameterException(TARGET_FRACTION, TARGET_FRACTION + " must be in (0, 1], got " + targetFraction);
        }
        if (minSteps < 1) {
            throw new PolicyParameterException(MIN_STEPS, MIN_STEPS + " must be >= 1, got " + minSteps);
        }
        this.lossThreshold = lossThreshold;
        this.targetFraction = targetFraction;
        this.minSteps = minSteps;
    }

    /** The policy from string parameters; missing ones take their defaults. */
    public static LearnedFractionPolicy fromParameters(Map<String, String> given) {
        PolicyParameters p = PolicyParameters.of(NAME, given, Set.of(LOSS_THRESHOLD, TARGET_FRACTION, MIN_STEPS));
        return new LearnedFractionPolicy(
                p.number(LOSS_THRESHOLD, DEFAULT_LOSS_THRESHOLD, 0, true, Double.MAX_VALUE),
                p.number(TARGET_FRACTION, DEFAULT_TARGET_FRACTION, 0, true, 1),
                p.whole(MIN_STEPS, DEFAULT_MIN_STEPS, 1));
    }

    /** Share of the run's examples whose most recent loss is below the threshold (unseen: not learned). */
    public double learnedFraction(float[] latestLosses, int exampleCount) {
        int learned = 0;
        for (float loss : latestLosses) {
            if (loss < lossThreshold) { // NaN (unseen) compares false
                learned++;
            }
        }
        return (double) learned / exampleCount;
    }

    @Override
    public Assessment assess(RunView run) {
        double fraction = (double) run.learnedCount(lossThreshold) / run.exampleCount();
        boolean reached = fraction >= targetFraction;
        boolean warm = run.stepsObserved() >= minSteps;
        long step = run.step();
        long stepsObserved = run.stepsObserved();
        return new Assessment(fraction, reached && warm, () -> String.format(Locale.ROOT,
                "learned fraction %.3f %s %s at step %d (threshold %s)%s", fraction, reached ? ">=" : "<", number(targetFraction),
                step, number(lossThreshold),
                reached && !warm ? ", still warming up (" + stepsObserved + " of " + minSteps + " steps)" : ""));
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(LOSS_THRESHOLD, number(lossThreshold));
        parameters.put(TARGET_FRACTION, number(targetFraction));
        parameters.put(MIN_STEPS, Long.toString(minSteps));
        return parameters;
    }

    public double lossThreshold() {
        return lossThreshold;
    }

    public double targetFraction() {
        return targetFraction;
    }

    public long minSteps() {
        return minSteps;
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
