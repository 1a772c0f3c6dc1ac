package io.upcycle.monitor.tracking;

import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.SignalHistory;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunStarted;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A run's evidence signals over its whole length, computed from its logged per-example losses by
 * the monitor's own state and recorder (so they are the values the monitor saw), for reports: a
 * stop decision carries only the window before it. Feed the run's losses in log order.
 */
public final class SignalTrace {
    private final RunState run;
    private final SignalRecorder recorder;
    private final Map<String, NavigableMap<Long, Double>> series = new TreeMap<>();

    public SignalTrace(RunStarted started, SignalSettings settings) {
        this.run = RunState.started(started.getRunId(), started.getTask(), started.getExampleCount(), started.getClassCount(), 1);
        this.recorder = new SignalRecorder(settings, 1);
    }

    /** Applies one losses event of the run (a batch or a full pass) and records every signal's value at its step. */
    public void apply(ExampleLosses e) {
        int[] ids = PrimitiveArrays.ints(e.getExampleIds());
        float[] losses = PrimitiveArrays.floats(e.getLosses());
        float[] el2n = PrimitiveArrays.floats(e.getEl2n());
        boolean[] correct = PrimitiveArrays.booleans(e.getCorrect());
        if (e.getFullPass()) {
            run.applyFullPass(ids, losses, correct, el2n);
        } else {
            recorder.beforeBatch(run, e.getStep());
            run.applyLosses(e.getStep(), ids, losses, correct, el2n);
        }
        recorder.record(run);
        for (Map.Entry<String, SignalHistory> entry : run.evidence().entrySet()) {
            SignalHistory history = entry.getValue();
            long[] steps = history.steps();
            if (steps.length > 0 && steps[steps.length - 1] == run.step()) {
                series.computeIfAbsent(entry.getKey(), k -> new TreeMap<>()).put(run.step(), history.values()[steps.length - 1]);
            }
        }
    }

    /** Every signal recorded so far ({@link io.upcycle.monitor.state.SignalNames}), by step. */
    public Map<String, NavigableMap<Long, Double>> series() {
        return series;
    }
}
