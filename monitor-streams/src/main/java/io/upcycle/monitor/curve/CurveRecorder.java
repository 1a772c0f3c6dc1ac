package io.upcycle.monitor.curve;

import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.StopDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps what the live dashboard shows next to the run state, written by the monitor's processor
 * after each valid event: one {@link CurvePoint} per step in the {@code run-curve} store (every
 * step, never sampled) and each run's stop decision in the {@code run-decision} store. Everything
 * comes from event contents, so a replay rebuilds both stores exactly.
 *
 * <p>Signals recorded per step: the stop policy's signal under its name (the last value the
 * policy assessed), and {@value #EXAMPLES_SEEN} (share of the training set seen so far).
 */
public final class CurveRecorder {
    /** Name of the share-of-examples-seen signal. */
    public static final String EXAMPLES_SEEN = "examplesSeen";

    private final KeyValueStore<Bytes, CurvePoint> curves;
    private final KeyValueStore<String, StopDecision> decisions;
    private final String signalName;

    public CurveRecorder(KeyValueStore<Bytes, CurvePoint> curves, KeyValueStore<String, StopDecision> decisions,
                         String signalName) {
        this.curves = curves;
        this.decisions = decisions;
        this.signalName = signalName;
    }

    /** Records what {@code event} (already applied to {@code state}) changed; {@code decision} may be null. */
    public void record(String runId, Object event, RunState state, StopDecision decision) {
        if (event instanceof ExampleLosses losses) {
            Map<String, Double> signals = signals(state);
            float mean = mean(losses.getLosses());
            long step = state.step();
            if (losses.getFullPass()) {
                CurvePoint known = curves.get(CurveKeys.of(runId, step));
                CurvePoint point = known != null ? known : new CurvePoint(step, Float.NaN, Float.NaN, Map.of());
                curves.put(CurveKeys.of(runId, step), point.withFullPass(mean, signals));
            } else {
                // A resumed run reports again the steps after its resume point: later points are stale.
                // Below the highest step seen only: a run moving forward has no later points to look for.
                if (step < state.highestStep()) {
                    forgetAfter(runId, step);
                }
                curves.put(CurveKeys.of(runId, step), new CurvePoint(step, mean, Float.NaN, signals));
            }
        }
        if (decision != null) {
            decisions.put(runId, decision);
        }
    }

    private Map<String, Double> signals(RunState state) {
        Map<String, Double> signals = new TreeMap<>();
        double[] values = state.signals().values();
        if (values.length > 0) {
            signals.put(signalName, values[values.length - 1]);
        }
        signals.put(EXAMPLES_SEEN, state.exampleCount() == 0 ? 0 : (double) state.examplesSeen() / state.exampleCount());
        return signals;
    }

    private void forgetAfter(String runId, long step) {
        List<Bytes> stale = new ArrayList<>();
        try (KeyValueIterator<Bytes, CurvePoint> later = curves.range(CurveKeys.of(runId, step + 1), CurveKeys.last(runId))) {
            while (later.hasNext()) {
                KeyValue<Bytes, CurvePoint> next = later.next();
                stale.add(next.key);
            }
        }
        stale.forEach(curves::delete);
    }

    private static float mean(List<Float> losses) {
        double sum = 0;
        for (Float loss : losses) {
            sum += loss;
        }
        return losses.isEmpty() ? Float.NaN : (float) (sum / losses.size());
    }
}
