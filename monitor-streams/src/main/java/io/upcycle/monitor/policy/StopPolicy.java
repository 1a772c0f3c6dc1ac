package io.upcycle.monitor.policy;

import java.util.Map;

/**
 * A versioned rule that looks at a run after each step and says whether it should stop. Plain
 * Java with no Kafka in sight, so it can be tested on arrays and replayed offline. Implementations
 * are immutable and deterministic: the same view gives the same assessment.
 */
public interface StopPolicy {
    /** Registry name, recorded in every decision, e.g. {@code learned-fraction}. */
    String name();

    /** Bumped whenever the rule's behaviour changes, so that audits can tell versions apart. */
    int version();

    /** The effective parameters, every one of them, as canonical strings. */
    Map<String, String> parameters();

    /** Name of the signal series that {@link Assessment#signal()} feeds. */
    String signalName();

    /** Assesses the run after its most recent step. */
    Assessment assess(RunView run);

    /**
     * Assesses the run after an evaluation at {@code step} (its loss is the last of
     * {@link RunView#evaluationLosses()}), or returns null when the policy does not look at
     * evaluations (the default). A stop here is a decision at {@code step}.
     */
    default Assessment assessEvaluation(RunView run, long step) {
        return null;
    }
}
