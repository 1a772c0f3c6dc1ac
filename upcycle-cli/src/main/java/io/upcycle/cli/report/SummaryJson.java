package io.upcycle.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upcycle.cli.report.StudyResults.MethodResult;
import io.upcycle.cli.report.StudyResults.ModeResult;
import io.upcycle.cli.report.StudyResults.PointResult;
import io.upcycle.cli.report.StudyResults.TaskStop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: the study's results for scripts, the same numbers as the HTML report. Per mode
 * and method: merged test accuracy (absolute and normalized; mean, sample s.d., n and the per-seed
 * values of the mean over tasks) at the automatic stop, the full budget, each fixed length and the best
 * fixed length (chosen on test); per task the same plus expert accuracy, the merged step and easy/hard
 * accuracy; the linear probe; each run's stop step and reason; the enforce pass's compute; provenance.
 * Accuracies are fractions in [0, 1]; NaN is written as null. Jackson is on the classpath already.
 */
public final class SummaryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    public static void write(StudyResults results, String source, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), tree(results, source));
    }

    static ObjectNode tree(StudyResults results, String source) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("study", results.studyId());
        root.put("source", source);
        root.put("units", "accuracy: fraction in [0, 1]; per seed the mean over tasks, then mean and sample s.d. over seeds");
        Headline.sentences(results).forEach(root.putArray("headline")::add);
        results.warnings().forEach(root.putArray("warnings")::add);
        ObjectNode modes = root.putObject("modes");
        for (ModeResult mode : results.modes()) {
            modes.set(mode.mode(), mode(mode));
        }
        root.set("provenance", MAPPER.valueToTree(results.provenance()));
        return root;
    }

    private static ObjectNode mode(ModeResult mode) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("fullBudget", mode.fullBudget());
        out.put("heads", mode.heads());
        out.put("autoRule", mode.autoRule());
        mode.rules().forEach(out.putArray("rules")::add);
        mode.tasks().forEach(out.putArray("tasks")::add);
        mode.seeds().forEach(out.putArray("seeds")::add);
        mode.lengths().forEach(out.putArray("lengths")::add);
        ObjectNode methods = out.putObject("methods");
        for (MethodResult m : mode.methods()) {
            methods.set(m.method(), method(mode, m));
        }
        out.set("baseHeads", mode.baseHeads() == null ? null : method(mode, mode.baseHeads()));
        out.set("linearProbe", mode.linearProbe().merged().present() ? point(mode.linearProbe()) : null);
        ArrayNode stops = out.putArray("stops");
        for (TaskStop s : mode.stops()) {
            stops.add(MAPPER.valueToTree(s));
        }
        if (mode.compute() == null) {
            out.putNull("compute");
        } else {
            out.putObject("compute").put("pass", StudyTags.ENFORCE).put("runs", mode.compute().runs())
                    .put("stepsTrained", mode.compute().stepsTrained()).put("budgetSteps", mode.compute().budgetSteps())
                    .put("stepsSaved", mode.compute().budgetSteps() - mode.compute().stepsTrained())
                    .set("savedPercent", number(mode.compute().savedPercent()));
            StudyResults.StopLag lag = mode.compute().stopLag();
            ObjectNode stop = ((ObjectNode) out.get("compute")).putObject("timeToStop");
            stop.put("stoppedRuns", lag.stopped()).put("timedRuns", lag.timed()).set("p50Ms", number(lag.p50Ms()));
            stop.set("p99Ms", number(lag.p99Ms()));
            stop.set("maxMs", number(lag.maxMs()));
            stop.set("p50StepsPastDecision", number(lag.p50Steps()));
            stop.put("maxStepsPastDecision", lag.maxSteps());
        }
        return out;
    }

    private static ObjectNode method(ModeResult mode, MethodResult m) {
        ObjectNode method = MAPPER.createObjectNode();
        method.set("auto", point(m.auto()).put("rule", mode.autoRule()).set("budgetUsed",
                number(m.auto().budgetUsed(mode.fullBudget()))));
        ObjectNode rules = method.putObject("rules");
        m.rules().forEach((rule, p) -> rules.set(rule, point(p).set("budgetUsed", number(p.budgetUsed(mode.fullBudget())))));
        if (m.full() != null) {
            method.set("fullBudget", point(m.full()).put("length", mode.fullBudget()));
            method.set("autoMinusFull", number(m.auto().merged().mean() - m.full().merged().mean()));
        }
        if (m.best() != null) {
            method.set("bestFixedLength", point(m.best()).put("length", m.bestLength()).put("chosenOn", "test"));
        }
        ObjectNode lengths = method.putObject("lengths");
        m.byLength().forEach((length, p) -> lengths.set(Long.toString(length), point(p)));
        return method;
    }

    static ObjectNode point(PointResult p) {
        ObjectNode out = MAPPER.createObjectNode();
        out.set("merged", stat(p.merged()));
        out.set("normalized", stat(p.normalized()));
        out.set("expert", stat(p.expert()));
        out.set("lambda", stat(p.lambda()));
        out.put("lambdaAtEdge", p.lambdaAtEdge());
        ObjectNode tasks = out.putObject("perTask");
        for (Map.Entry<String, Stat> e : p.mergedByTask().entrySet()) {
            ObjectNode task = tasks.putObject(e.getKey());
            task.set("merged", stat(e.getValue()));
            task.set("normalized", stat(p.normalizedByTask().get(e.getKey())));
            task.set("expert", stat(p.expertByTask().get(e.getKey())));
            task.set("expertStep", stat(p.stepByTask().get(e.getKey())));
            if (p.decidedByTask().containsKey(e.getKey())) {
                task.set("decidedStep", stat(p.decidedByTask().get(e.getKey())));
            }
            StudyResults.Difficulty d = p.difficultyByTask().get(e.getKey());
            if (d != null) {
                ObjectNode easyHard = task.putObject("easyHard");
                easyHard.set("expertEasy", stat(d.expertEasy()));
                easyHard.set("expertHard", stat(d.expertHard()));
                easyHard.set("mergedEasy", stat(d.mergedEasy()));
                easyHard.set("mergedHard", stat(d.mergedHard()));
            }
        }
        p.mergeIds().forEach(out.putArray("mergeIds")::add);
        return out;
    }

    static ObjectNode stat(Stat s) {
        ObjectNode out = MAPPER.createObjectNode();
        if (s == null) {
            s = Stat.NONE;
        }
        out.set("mean", number(s.mean()));
        out.set("sd", number(s.sd()));
        out.put("n", s.n());
        ArrayNode values = out.putArray("values");
        List.copyOf(s.values()).forEach(values::add);
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? MAPPER.nullNode() : MAPPER.getNodeFactory().numberNode(v);
    }
}
