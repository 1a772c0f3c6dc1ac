package io.upcycle.cli.report;

import io.upcycle.cli.report.StudyResults.Compute;
import io.upcycle.cli.report.StudyResults.TaskSignals;
import io.upcycle.cli.report.StudyResults.TaskStop;
import io.upcycle.monitor.state.SignalNames;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.avro.StopDecision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the report says about the training runs: their labels (mode, seed, pass, budget), where and
 * why each stopped, the compute the enforce pass used, each task's signals over time, and the run
 * rows of the provenance.
 */
final class RunFacts {
    /** Series names in {@link TaskSignals#series()}. */
    static final String TRAIN_LOSS = "train-loss";
    static final String EVAL_LOSS = SignalNames.EVAL_LOSS;

    private final Map<String, RunStarted> runs = new LinkedHashMap<>();
    private final Map<String, RunEnded> ends = new LinkedHashMap<>();
    private final Map<String, List<StopDecision>> decisions = new LinkedHashMap<>();
    private final StudyEvents events;

    RunFacts(StudyEvents events) {
        this.events = events;
        events.started().forEach(s -> runs.putIfAbsent(s.getRunId(), s)); // a resumed run starts again with the same labels
        events.ended().forEach(e -> ends.put(e.getRunId(), e));
        events.decisions().forEach(d -> decisions.computeIfAbsent(d.getRunId(), k -> new ArrayList<>()).add(d));
    }

    String mode(RunStarted r) {
        return r.getHyperParameters().getOrDefault(StudyTags.MODE, r.getMode().name());
    }

    long seed(RunStarted r) {
        return StudyTags.longOf(r.getHyperParameters(), StudyTags.SEED, r.getSeed());
    }

    String pass(RunStarted r) {
        return r.getHyperParameters().getOrDefault(StudyTags.PASS, StudyTags.OBSERVE);
    }

    long budget(RunStarted r) {
        return StudyTags.longOf(r.getHyperParameters(), StudyTags.STEPS, 0);
    }

    /** Runs of {@code mode} and {@code pass}, by task then seed. */
    List<RunStarted> runs(String mode, String pass) {
        return runs.values().stream().filter(r -> mode(r).equals(mode) && pass(r).equals(pass))
                .sorted(Comparator.comparing(RunStarted::getTask).thenComparingLong(this::seed)).toList();
    }

    /** How the observe runs of {@code mode} trained their heads ({@code study.heads}: new or probe); "" when not labelled. */
    String heads(String mode) {
        return runs(mode, StudyTags.OBSERVE).stream().map(r -> r.getHyperParameters().getOrDefault(StudyTags.HEADS, ""))
                .filter(h -> !h.isEmpty()).findFirst().orElse("");
    }

    List<RunStarted> all() {
        return List.copyOf(runs.values());
    }

    RunEnded end(String runId) {
        return ends.get(runId);
    }

    /** The stop of each run of {@code mode}, both passes: its first policy decision, else its end-of-run decision. */
    List<TaskStop> stops(String mode) {
        List<TaskStop> out = new ArrayList<>();
        for (String pass : List.of(StudyTags.OBSERVE, StudyTags.ENFORCE)) {
            for (RunStarted r : runs(mode, pass)) {
                List<StopDecision> ds = decisions.getOrDefault(r.getRunId(), List.of());
                StopDecision d = ds.stream().filter(x -> !x.getPolicy().equals(StudyTags.END_OF_RUN)).findFirst()
                        .orElse(ds.isEmpty() ? null : ds.get(0));
                if (d == null) {
                    continue;
                }
                RunEnded end = ends.get(r.getRunId());
                out.add(new TaskStop(r.getTask(), seed(r), pass, r.getRunId(), d.getDecidedAtStep(), d.getCheckpointStep(),
                        d.getCheckpointSha256(), d.getPolicy(), d.getPolicyVersion(), d.getMode().name(), d.getReason(),
                        d.getDecisionId(), end == null ? null : end.getFinalStep(), end == null ? null : end.getReason().name()));
            }
        }
        return out;
    }

    /** Steps trained by the enforce pass of {@code mode} against its budget; null when the mode has no enforce runs. */
    Compute compute(String mode) {
        List<RunStarted> enforce = runs(mode, StudyTags.ENFORCE);
        if (enforce.isEmpty()) {
            return null;
        }
        long trained = 0;
        long budget = 0;
        List<Double> latencies = new ArrayList<>();
        List<Long> stepsPast = new ArrayList<>();
        for (RunStarted r : enforce) {
            RunEnded end = ends.get(r.getRunId());
            trained += end != null ? end.getFinalStep() : lastStep(r.getRunId());
            budget += budget(r);
            if (end != null && end.getStopDecidedAtStep() != null) {
                stepsPast.add(end.getFinalStep() - end.getStopDecidedAtStep());
                latencies.add(end.getStopLatencyMs() == null ? Double.NaN : end.getStopLatencyMs());
            }
        }
        return new Compute(enforce.size(), trained, budget, StudyResults.StopLag.of(latencies, stepsPast));
    }

    /** Per task, the signals of the observe run of the lowest seed: decisions' evidence series and the step losses. */
    List<TaskSignals> signals(String mode, List<TaskStop> stops) {
        Map<String, TaskSignals> byTask = new LinkedHashMap<>();
        for (RunStarted r : runs(mode, StudyTags.OBSERVE)) {
            if (byTask.containsKey(r.getTask())) {
                continue;
            }
            Map<String, NavigableMap<Long, Double>> series = new LinkedHashMap<>();
            for (String name : List.of(SignalNames.LEARNED_FRACTION, SignalNames.HARD_SHARE, TRAIN_LOSS, EVAL_LOSS)) {
                series.put(name, new TreeMap<>());
            }
            Map<String, NavigableMap<Long, Double>> trace = events.traces().getOrDefault(r.getRunId(), Map.of());
            for (String name : List.of(SignalNames.LEARNED_FRACTION, SignalNames.HARD_SHARE)) {
                if (trace.containsKey(name)) {
                    series.get(name).putAll(trace.get(name));
                }
            }
            for (StopDecision d : trace.isEmpty() ? decisions.getOrDefault(r.getRunId(), List.<StopDecision>of()) : List.<StopDecision>of()) {
                for (SignalSeries s : d.getSignals()) {
                    NavigableMap<Long, Double> target = series.get(s.getName());
                    if (target != null && !s.getName().equals(EVAL_LOSS)) {
                        for (int i = 0; i < Math.min(s.getSteps().size(), s.getValues().size()); i++) {
                            target.put(s.getSteps().get(i), s.getValues().get(i));
                        }
                    }
                }
            }
            for (StepMetrics m : events.steps()) {
                if (m.getRunId().equals(r.getRunId())) {
                    series.get(TRAIN_LOSS).put(m.getStep(), (double) m.getTrainLoss());
                    if (m.getEvalLoss() != null) {
                        series.get(EVAL_LOSS).put(m.getStep(), (double) m.getEvalLoss());
                    }
                }
            }
            TaskStop stop = stops.stream().filter(s -> s.runId().equals(r.getRunId())).findFirst().orElse(null);
            byTask.put(r.getTask(), new TaskSignals(r.getTask(), seed(r), r.getRunId(), series, stop));
        }
        return List.copyOf(byTask.values());
    }

    private long lastStep(String runId) {
        return events.steps().stream().filter(m -> m.getRunId().equals(runId)).mapToLong(StepMetrics::getStep).max().orElse(0);
    }
}
