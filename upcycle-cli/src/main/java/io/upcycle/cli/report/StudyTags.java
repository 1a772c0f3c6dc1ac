package io.upcycle.cli.report;

import java.util.Map;

/**
 * The labels a study puts on its events: on {@code RunStarted.hyperParameters} and on
 * {@code MergeCompleted.tags}. One place, so that the report and the study agree on the names.
 */
public final class StudyTags {
    public static final String ID = "study.id";
    public static final String MODE = "study.mode";
    public static final String SEED = "study.seed";
    /** Run label: {@code new} (each expert trains a new head) or {@code probe} (each starts from the linear probe, frozen). */
    public static final String HEADS = "study.heads";
    /** Run label: {@value #OBSERVE} or {@value #ENFORCE}. */
    public static final String PASS = "study.pass";
    /** Merge label: {@code auto}, {@code rule}, {@code length} or {@code baseline}. */
    public static final String POINT = "study.point";
    /** Merge label on {@code length} points: the experts' training step. */
    public static final String LENGTH = "study.length";
    /** Merge label: the method as the study names it ({@code ties:global}, {@code base_heads}); absent: the event's method. */
    public static final String METHOD = "study.method";
    /** Merge label on stop points: the stop rule (policy name) whose decisions chose the checkpoints. */
    public static final String RULE = "study.rule";
    /** Merge label on stop points: each task's decided step, {@code task=step,...} (the merged step is in the experts). */
    public static final String DECIDED = "study.decided";
    /** Point of a merge at each task's stop under the live rule. */
    public static final String POINT_AUTO = "auto";
    /** Point of a merge at each task's stop under a rule replayed on the group's log. */
    public static final String POINT_RULE = "rule";
    /** Method label of the baseline with the base trunk and each expert's own head (lambda 0). */
    public static final String BASE_HEADS = "base_heads";
    public static final String OBSERVE = "observe";
    public static final String ENFORCE = "enforce";
    public static final String POINT_LENGTH = "length";
    /** Run hyper-parameter: the step budget. */
    public static final String STEPS = "steps";
    /** Merge parameter: the tuned scaling factor. */
    public static final String LAMBDA = "lambda";
    /** Merge parameter: {@code none}, or {@code low} / {@code high} when lambda is the lowest / highest its search tried. */
    public static final String LAMBDA_EDGE = "lambda.edge";
    /** Merge parameter: every lambda the search tried, ascending. */
    public static final String LAMBDA_TRIED = "lambda.tried";
    /** Method name of the linear-probe baseline. */
    public static final String LINEAR_PROBE = "linear_probe";
    /** Policy name of the decision recorded when a run ended before its policy fired. */
    public static final String END_OF_RUN = io.upcycle.monitor.tracking.EndOfRun.POLICY;

    private StudyTags() {
    }

    static long longOf(Map<String, String> labels, String key, long fallback) {
        String value = labels.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
