package io.upcycle.monitor;

/**
 * The names of every node and store of the monitor's topology. They are part of the deployed
 * application (the store name is in its changelog topic's name), so they are fixed here and
 * pinned by a test: a rename would silently orphan the state of running applications.
 */
public final class TopologyNames {
    public static final String RUNS_SOURCE = "runs-source";
    public static final String EXAMPLE_LOSSES_SOURCE = "example-losses-source";
    public static final String CHECKPOINTS_SOURCE = "checkpoints-source";
    public static final String RUNS_DECODER = "runs-decoder";
    public static final String EXAMPLE_LOSSES_DECODER = "example-losses-decoder";
    public static final String CHECKPOINTS_DECODER = "checkpoints-decoder";
    public static final String STEP_METRICS_SOURCE = "step-metrics-source";
    public static final String STEP_METRICS_DECODER = "step-metrics-decoder";
    public static final String RUN_MONITOR = "run-monitor";
    public static final String STOP_DECISIONS_SINK = "stop-decisions-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    /** Learning-rate commands of the plateau policy, to {@code upcycle.commands}. */
    public static final String COMMANDS_SINK = "commands-sink";
    /** Per-run state: run id to {@link io.upcycle.monitor.state.RunState}. */
    public static final String RUN_STATE_STORE = "run-state";
    /** Each run's per-example arrays, as snapshot blocks ({@link io.upcycle.monitor.state.ExampleStore}). */
    public static final String RUN_EXAMPLES_STORE = "run-examples";
    /** Every step's curve point: run id + step to {@link io.upcycle.monitor.curve.CurvePoint} (see CurveKeys). */
    public static final String RUN_CURVE_STORE = "run-curve";
    /** Each run's stop decision, for the live API: run id to StopDecision. */
    public static final String RUN_DECISION_STORE = "run-decision";

    private TopologyNames() {
    }
}
