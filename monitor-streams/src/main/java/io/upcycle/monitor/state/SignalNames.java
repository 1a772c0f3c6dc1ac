package io.upcycle.monitor.state;

import java.util.List;

/**
 * Names of the evidence series every run records per step (see {@link RunState#evidence()}), as
 * they appear in {@code StopDecision.signals} and on the dashboard.
 */
public final class SignalNames {
    /** Share of the run's examples whose latest loss is below the learned threshold. */
    public static final String LEARNED_FRACTION = "learned-fraction";
    /** Share of the current total training loss (latest loss per example) carried by the hard set. */
    public static final String HARD_SHARE = "hard-share";
    /** Forgetting events (correct, then wrong) of the whole run so far. */
    public static final String FORGETTING_EVENTS = "forgetting-events";
    /** Mean latest loss of the easy set. */
    public static final String EASY_LOSS = "easy-loss";
    /** 1 when the easy set's mean loss improved by less than epsilon (relative) over the plateau window, else 0. */
    public static final String EASY_PLATEAU = "easy-plateau";
    /** Evaluation (validation) loss, at the steps that evaluated. */
    public static final String EVAL_LOSS = "eval-loss";
    /** Every evidence series, in the order decisions list them. */
    public static final List<String> ALL = List.of(LEARNED_FRACTION, HARD_SHARE, FORGETTING_EVENTS, EASY_LOSS,
            EASY_PLATEAU, EVAL_LOSS);

    private SignalNames() {
    }
}
