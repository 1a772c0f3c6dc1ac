package io.upcycle.monitor.policy;

/**
 * What a stop policy may read about one run: its size, how far it has got, the most recent
 * loss of every training example and its evaluations. Read-only by contract: a policy must not
 * change the arrays.
 */
public interface RunView {
    /** The run's id. */
    String runId();

    /** Training examples of the run; example ids are {@code 0..exampleCount-1}. */
    int exampleCount();

    /** The step of the most recent per-example losses, or -1 before the first. */
    long step();

    /** How many steps of per-example losses the run has reported so far. */
    long stepsObserved();

    /** How many distinct examples have reported a loss at least once. */
    int examplesSeen();

    /**
     * The most recent loss of each example, indexed by example id; {@code NaN} where an example
     * has not been seen yet. Not a copy: do not modify.
     */
    float[] latestLosses();

    /**
     * How many examples have a most recent loss below {@code threshold} (unseen ones do not). This
     * default scans {@link #latestLosses()}; the monitor's run state keeps the count up to date.
     */
    default int learnedCount(double threshold) {
        int learned = 0;
        for (float loss : latestLosses()) {
            if (loss < threshold) { // NaN (unseen) compares false
                learned++;
            }
        }
        return learned;
    }

    /** Steps of the evaluations reported so far, oldest first; empty without step metrics. */
    default long[] evaluationSteps() {
        return new long[0];
    }

    /** Evaluation losses aligned with {@link #evaluationSteps()}. */
    default float[] evaluationLosses() {
        return new float[0];
    }

    /** The learning rates the trainer reported with the evaluations, aligned with {@link #evaluationSteps()}. */
    default float[] evaluationLearningRates() {
        return new float[0];
    }
}
