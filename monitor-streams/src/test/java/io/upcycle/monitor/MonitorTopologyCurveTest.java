package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.monitor.curve.CurveKeys;
import io.upcycle.monitor.curve.CurvePoint;
import io.upcycle.monitor.curve.CurveRecorder;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-curve and run-decision stores that the live API serves. */
class MonitorTopologyCurveTest {
    private static final String RUN = "curve-run";
    private static final int EXAMPLES = 100;
    private static final long T0 = 1_000_000L;

    @TempDir
    Path stateDir;

    @Test
    void shouldKeepEveryStepOnTheCurveBeyondTheSignalWindowAndTheDecision() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run of 40 steps, 10 more examples learned per step up to 98 of 100 (the window holds 32)
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
            for (int step = 1; step <= 40; step++) {
                h.losses.pipeInput(RUN, losses(step), T0 + step);
            }

            // when the curve is read
            List<CurvePoint> curve = curve(h, RUN);

            // then every step is there, with the batch's mean loss and the policy's signal
            assertThat(curve).extracting(CurvePoint::step).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
            float expectedStep3 = (30 * 0.05f + sumHard(30)) / EXAMPLES;
            assertThat(curve.get(2).trainLoss()).isCloseTo(expectedStep3, org.assertj.core.data.Offset.offset(1e-5f));
            String signal = h.config.policy().signalName();
            assertThat(curve.get(2).signals()).containsEntry(signal, 0.30).containsEntry(CurveRecorder.EXAMPLES_SEEN, 1.0);
            assertThat(curve.get(39).signals()).containsEntry(signal, 0.98);
            assertThat(curve.get(0).fullPassLoss()).isNaN();
            StopDecision decision = h.driver.<String, StopDecision>getKeyValueStore(TopologyNames.RUN_DECISION_STORE).get(RUN);
            assertThat(decision.getDecidedAtStep()).isEqualTo(10);
            assertThat(h.decisions.readValuesToList()).containsExactly(decision);
        }
    }

    @Test
    void shouldForgetStalePointsWhenAResumedRunReportsItsStepsAgain() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run that reported steps 1..6 and then resumed from step 4
            h.runs.pipeInput(RUN, Events.started(RUN, EXAMPLES), T0);
            for (int step = 1; step <= 6; step++) {
                h.losses.pipeInput(RUN, losses(step), T0 + step);
            }
            h.runs.pipeInput(RUN, Events.resumed(RUN, EXAMPLES, 4), T0 + 7);

            // when it reports step 5 again
            h.losses.pipeInput(RUN, losses(5), T0 + 8);

            // then the curve ends at step 5: the old step 6 is gone
            assertThat(curve(h, RUN)).extracting(CurvePoint::step).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    private static List<CurvePoint> curve(MonitorHarness h, String run) {
        KeyValueStore<Bytes, CurvePoint> store = h.driver.getKeyValueStore(TopologyNames.RUN_CURVE_STORE);
        List<CurvePoint> points = new ArrayList<>();
        try (KeyValueIterator<Bytes, CurvePoint> it = store.range(CurveKeys.first(run), CurveKeys.last(run))) {
            it.forEachRemaining(kv -> points.add(kv.value));
        }
        return points;
    }

    private static float sumHard(int learned) {
        float sum = 0;
        for (int id = learned; id < EXAMPLES; id++) {
            sum += 1f + id / 1000f;
        }
        return sum;
    }

    private static io.upcycle.schemas.avro.ExampleLosses losses(int step) {
        int learned = Math.min(98, 10 * step);
        float[] losses = new float[EXAMPLES];
        for (int id = 0; id < EXAMPLES; id++) {
            losses[id] = id < learned ? 0.05f : 1f + id / 1000f;
        }
        return Events.losses(RUN, step, Events.range(0, EXAMPLES), losses);
    }
}
