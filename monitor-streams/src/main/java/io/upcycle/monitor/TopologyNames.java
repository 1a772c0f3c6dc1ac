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
    public static final String RUN_MONITOR = "run-monitor";
    public static final String STOP_DECISIONS_SINK = "stop-decisions-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    /** Per-run state: run id to {@link io.upcycle.monitor.state.RunState}. */
    public static final String RUN_STATE_STORE = "run-state";

    private TopologyNames() {
    }
}
