package io.upcycle.monitor.policy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The source study's rule on the evaluation loss, ReduceLROnPlateau style. An evaluation improves
 * when it is below the best so far by more than {@code minDelta}; after {@code patience}
 * evaluations in a row without improvement the learning rate is multiplied by {@code factor}
 * (a {@code SET_LEARNING_RATE} request, see {@link Assessment#newLearningRate()}) and the count
 * starts again; once {@code maxReductions} reductions were made, or the next one would go below
 * {@code minLearningRate}, running out of patience stops the run. With {@code restoreBest} the
 * decision merges the checkpoint at or before the best evaluation's step, otherwise the latest one
 * at or before the decision. It decides on step metrics that carry an evaluation loss
 * ({@link #assessEvaluation}); per-step losses never stop it.
 *
 * <p>Stateless: every assessment folds the whole evaluation history again (evaluations are sparse),
 * so a replay gives the same requests and decision. The rate before any reduction is the one the
 * trainer reported with the first evaluation, which is its base rate under a constant schedule.
 * With the default {@code maxReductions = 0} this is plain early stopping with patience.
 */
public final class PlateauPolicy extends NamedPolicy {
    public static final String NAME = "plateau";
    public static final int VERSION = 1;
    public static final String PATIENCE = "patience";
    public static final String MIN_DELTA = "min.delta";
    public static final String RESTORE_BEST = "restore.best";
    public static final String FACTOR = "factor";
    public static final String MAX_REDUCTIONS = "max.reductions";
    public static final String MIN_LEARNING_RATE = "min.learning.rate";

    private final long patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final double factor;
    private final long maxReductions;
    private final double minLearningRate;

    /** Early stopping with patience: no learning-rate reductions. */
    public PlateauPolicy(long patience, double minDelta, boolean restoreBest) {
        this(patience, minDelta, restoreBest, 0.1, 0, 0);
    }

    public PlateauPolicy(long patience, double minDelta, boolean restoreBest, double factor, long maxReductions,
                         double minLearningRate) {
        super(NAME, VERSION, "eval-loss");
        if (patience < 1) {
            throw new PolicyParameterException(PATIENCE, PATIENCE + " must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new PolicyParameterException(MIN_DELTA, MIN_DELTA + " must be a number >= 0, got " + minDelta);
        }
        if (!(factor > 0 && factor < 1)) {
            throw new PolicyParameterException(FACTOR, FACTOR + " must be in (0, 1), got " + factor);
        }
        if (maxReductions < 0) {
            throw new PolicyParameterException(MAX_REDUCTIONS, MAX_REDUCTIONS + " must be >= 0, got " + maxReductions);
        }
        if (!(minLearningRate >= 0) || Double.isInfinite(minLearningRate)) {
            throw new PolicyParameterException(MIN_LEARNING_RATE, MIN_LEARNING_RATE + " must be a number >= 0, got "
                    + minLearningRate);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
        this.factor = factor;
        this.maxReductions = maxReductions;
        this.minLearningRate = minLearningRate;
    }

    /** The policy from string parameters; missing ones take their defaults. */
    public static PlateauPolicy fromParameters(Map<String, String> given) {
        PolicyParameters p = PolicyParameters.of(NAME, given,
                Set.of(PATIENCE, MIN_DELTA, RESTORE_BEST, FACTOR, MAX_REDUCTIONS, MIN_LEARNING_RATE));
        return new PlateauPolicy(p.whole(PATIENCE, 5, 1),
                p.number(MIN_DELTA, 0, 0, false, Double.MAX_VALUE),
                p.flag(RESTORE_BEST, true),
                p.number(FACTOR, 0.1, 0, true, 0.999999),
                p.whole(MAX_REDUCTIONS, 0, 0),
                p.number(MIN_LEARNING_RATE, 0, 0, false, Double.MAX_VALUE));
    }

    /**
     * Folds evaluation losses in order, starting at learning rate {@code firstRate}: the best one's
     * index, the evaluations since the last improvement or reduction, the reductions made, the rate
     * in force after the last evaluation, what the last evaluation triggered, and whether patience
     * ran out with no reduction left (at the last evaluation only: a run stops at the first such one).
     */
    public Fold fold(float[] losses, double firstRate) {
        int best = -1;
        int bad = 0;
        int reductions = 0;
        double rate = firstRate;
        boolean reducedLast = false;
        boolean stop = false;
        for (int i = 0; i < losses.length && !stop; i++) {
            reducedLast = false;
            if (best < 0 || losses[i] < losses[best] - minDelta) {
                best = i;
                bad = 0;
            } else {
                bad++;
            }
            if (bad >= patience) {
                if (reductions >= maxReductions || rate * factor < minLearningRate) {
                    stop = true;
                } else {
                    reductions++;
                    rate *= factor;
                    bad = 0;
                    reducedLast = true;
                }
            }
        }
        return new Fold(best, bad, reductions, rate, reducedLast, stop);
    }

    /** The state of the rule after the evaluations folded; see {@link #fold}. */
    public record Fold(int bestIndex, int sinceBest, int reductions, double rate, boolean reducedLast, boolean stop) {
    }

    @Override
    public Assessment assess(RunView run) {
        // No signal value (NaN, not recorded) at steps without an evaluation.
        return new Assessment(Double.NaN, false, "the plateau policy decides on evaluations only");
    }

    @Override
    public Assessment assessEvaluation(RunView run, long step) {
        float[] losses = run.evaluationLosses();
        long[] steps = run.evaluationSteps();
        float[] rates = run.evaluationLearningRates();
        Fold fold = fold(losses, rates.length == 0 ? Double.NaN : rates[0]);
        float last = losses[losses.length - 1];
        long bestStep = steps[fold.bestIndex()];
        String outcome = fold.stop() ? (restoreBest ? ", patience exhausted: restore the best" : ", patience exhausted")
                : fold.reducedLast() ? String.format(Locale.ROOT, ", patience exhausted: learning rate reduced to %s", fold.rate())
                : "";
        String reason = String.format(Locale.ROOT,
                "evaluation loss %.4f at step %d; best %.4f at step %d; %d of %d evaluations without an improvement"
                        + " above %s; %d of %d learning-rate reductions%s",
                last, step, losses[fold.bestIndex()], bestStep, fold.sinceBest(), patience, number(minDelta),
                fold.reductions(), maxReductions, outcome);
        return new Assessment(last, fold.stop(), () -> reason, restoreBest ? bestStep : -1,
                fold.reducedLast() ? fold.rate() : Double.NaN);
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(PATIENCE, Long.toString(patience));
        parameters.put(MIN_DELTA, number(minDelta));
        parameters.put(RESTORE_BEST, Boolean.toString(restoreBest));
        parameters.put(FACTOR, number(factor));
        parameters.put(MAX_REDUCTIONS, Long.toString(maxReductions));
        parameters.put(MIN_LEARNING_RATE, number(minLearningRate));
        return parameters;
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
