package io.upcycle.monitor.policy;

import java.util.function.Supplier;

/**
 * What a policy concluded after one step.
 *
 * @param signal the policy's signal value at this step (recorded as evidence either way; NaN: none)
 * @param stop whether the run should stop now
 * @param why one readable sentence saying why (or why not), made only when read ({@link #reason()}):
 *     a policy assesses every step, and the sentence is read only by a decision or a command
 * @param mergeAtOrBefore the decision merges the latest checkpoint at or before this step (restore-best
 *     policies name their best step); -1: at or before the decision's own step
 * @param newLearningRate when not NaN (and not stopping), the policy asks the trainer to set its base
 *     learning rate to this value from its next step
 */
public record Assessment(double signal, boolean stop, Supplier<String> why, long mergeAtOrBefore, double newLearningRate) {
    /** An assessment whose decision merges the checkpoint at or before its own step. */
    public Assessment(double signal, boolean stop, String reason) {
        this(signal, stop, () -> reason, -1, Double.NaN);
    }

    /** An assessment whose reason is written only when it is read. */
    public Assessment(double signal, boolean stop, Supplier<String> why) {
        this(signal, stop, why, -1, Double.NaN);
    }

    /** An assessment that changes no learning rate. */
    public Assessment(double signal, boolean stop, String reason, long mergeAtOrBefore) {
        this(signal, stop, () -> reason, mergeAtOrBefore, Double.NaN);
    }

    /** The readable sentence saying why (or why not). */
    public String reason() {
        return why.get();
    }
}
