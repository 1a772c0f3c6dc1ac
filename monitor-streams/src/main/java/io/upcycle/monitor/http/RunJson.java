package io.upcycle.monitor.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upcycle.monitor.curve.CurvePoint;
import io.upcycle.monitor.state.CheckpointRef;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.StopDecision;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON the live API serves, built from the stores' values. Curves are columnar (one array per
 * series, aligned with {@code steps}), every stored step included; a missing value ({@code NaN})
 * is {@code null}, since JSON has no NaN.
 */
final class RunJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private RunJson() {
    }

    /** running, ended (no decision) or decided. */
    static String phase(RunState s) {
        return s.decided() ? "decided" : s.ended() ? "ended" : "running";
    }

    /** One line of {@code /api/runs}. */
    static ObjectNode summary(RunState s, StopDecision decision, String signalName) {
        ObjectNode run = MAPPER.createObjectNode();
        run.put("runId", s.runId()).put("task", s.task()).put("state", phase(s)).put("lastStep", s.step());
        double[] signal = s.signals().values();
        run.put("signalName", signalName);
        number(run, "signal", signal.length == 0 ? Double.NaN : signal[signal.length - 1]);
        run.put("examplesSeen", s.examplesSeen()).put("exampleCount", s.exampleCount());
        run.put("incomplete", s.incomplete()).put("missingSteps", s.gaps().missing());
        ObjectNode labels = run.putObject("labels");
        s.labels().forEach(labels::put);
        if (decision != null) {
            ObjectNode d = run.putObject("decision");
            d.put("policy", decision.getPolicy()).put("step", decision.getDecidedAtStep())
                    .put("mode", String.valueOf(decision.getMode()));
            if (decision.getCheckpointStep() != null) {
                d.put("checkpointStep", decision.getCheckpointStep());
            }
        } else {
            run.putNull("decision");
        }
        return run;
    }

    /** {@code /api/runs/{id}}: the summary, counters, checkpoints, the full curve and the decision with its evidence. */
    static ObjectNode detail(RunState s, StopDecision decision, List<CurvePoint> curve, String signalName) {
        ObjectNode run = summary(s, decision, signalName);
        run.put("classCount", s.classCount()).put("stepsObserved", s.stepsObserved())
                .put("lossesObserved", s.lossesObserved()).put("finalStep", s.finalStep())
                .put("decidedAtStep", s.decidedAtStep());
        ArrayNode gaps = run.putArray("gaps");
        s.gaps().ranges().forEach(g -> gaps.addArray().add(g.first()).add(g.last()));
        ArrayNode checkpoints = run.putArray("checkpoints");
        for (CheckpointRef c : s.checkpoints()) {
            checkpoints.addObject().put("step", c.step()).put("uri", c.uri()).put("sha256", c.sha256());
        }
        run.set("curve", curve(curve));
        run.set("decision", decision == null ? null : decision(decision));
        return run;
    }

    static ObjectNode curve(List<CurvePoint> points) {
        ObjectNode curve = MAPPER.createObjectNode();
        curve.put("points", points.size());
        ArrayNode steps = curve.putArray("steps");
        ArrayNode trainLoss = curve.putArray("trainLoss");
        ArrayNode fullPassLoss = curve.putArray("fullPassLoss");
        TreeSet<String> names = new TreeSet<>();
        points.forEach(p -> names.addAll(p.signals().keySet()));
        Map<String, ArrayNode> signals = new TreeMap<>();
        ObjectNode signalNode = curve.putObject("signals");
        names.forEach(n -> signals.put(n, signalNode.putArray(n)));
        for (CurvePoint p : points) {
            steps.add(p.step());
            add(trainLoss, p.trainLoss());
            add(fullPassLoss, p.fullPassLoss());
            signals.forEach((name, values) -> add(values, p.signals().getOrDefault(name, Double.NaN).doubleValue()));
        }
        return curve;
    }

    static ObjectNode decision(StopDecision d) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("decisionId", d.getDecisionId()).put("policy", d.getPolicy()).put("policyVersion", d.getPolicyVersion())
                .put("mode", String.valueOf(d.getMode())).put("reason", d.getReason()).put("decidedAtStep", d.getDecidedAtStep())
                .put("missingSteps", d.getMissingSteps());
        ObjectNode parameters = out.putObject("parameters");
        new TreeMap<>(d.getParameters()).forEach(parameters::put);
        if (d.getCheckpointStep() != null) {
            out.put("checkpointStep", d.getCheckpointStep()).put("checkpointUri", d.getCheckpointUri())
                    .put("checkpointSha256", d.getCheckpointSha256());
        } else {
            out.putNull("checkpointStep");
        }
        ArrayNode hard = out.putArray("topHardExampleIds");
        d.getTopHardExampleIds().forEach(hard::add);
        ArrayNode evidence = out.putArray("signals");
        for (SignalSeries series : d.getSignals()) {
            ObjectNode s = evidence.addObject().put("name", series.getName());
            ArrayNode steps = s.putArray("steps");
            series.getSteps().forEach(steps::add);
            ArrayNode values = s.putArray("values");
            series.getValues().forEach(v -> add(values, v));
        }
        return out;
    }

    private static void add(ArrayNode array, float value) {
        if (Float.isFinite(value)) {
            array.add(value);
        } else {
            array.addNull();
        }
    }

    private static void add(ArrayNode array, double value) {
        if (Double.isFinite(value)) {
            array.add(value);
        } else {
            array.addNull();
        }
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
