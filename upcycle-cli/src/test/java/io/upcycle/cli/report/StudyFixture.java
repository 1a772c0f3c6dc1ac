package io.upcycle.cli.report;

import io.upcycle.monitor.audit.LogWriter;
import io.upcycle.monitor.audit.LoggedRecord;
import io.upcycle.schemas.SampleEvents;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.DifficultyScore;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExpertRef;
import io.upcycle.schemas.avro.FineTuneMode;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TaskScore;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import io.upcycle.schemas.serde.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * A small study built in memory with the Avro builders: tasks spam and grain, seeds 1 and 2, modes FULL
 * (task_arithmetic, ties; with an enforce pass) and LORA (ties, moe_router; observe only), budget 128,
 * fixed lengths 32, 64, 128. Merged accuracy = point base (auto .84, 32: .71, 64: .87, 128: .79) + task
 * (spam +.05, grain -.05) + seed (1: +.01, 2: -.01) + method (ties 0, task_arithmetic -.02, moe_router
 * -.03) + mode (FULL 0, LORA -.10); normalized = merged + .1; expert = point expert base (auto .95, 32:
 * .80, 64: .93, 128: .97) + task (spam +.01, grain -.01). Linear probe: spam .60, grain .50, + seed.
 * Observe stops: spam seed 1 decided at 70 (checkpoint 64), seed 2 at 40 (checkpoint 32); grain never
 * fires (end-of-run at 128). Enforce pass (FULL): spam 70 and 40 steps, grain 128 and 128.
 */
public final class StudyFixture {
    static final List<String> TASKS = List.of("spam", "grain");
    static final List<Long> SEEDS = List.of(1L, 2L);
    static final List<Long> LENGTHS = List.of(32L, 64L, 128L);
    static final long BUDGET = 128;
    static final Map<String, Double> POINT = Map.of("auto", .84, "32", .71, "64", .87, "128", .79);
    static final Map<String, Double> EXPERT = Map.of("auto", .95, "32", .80, "64", .93, "128", .97);
    static final Map<String, Double> METHOD = Map.of("ties", 0.0, "task_arithmetic", -.02, "moe_router", -.03);

    private StudyFixture() {
    }

    static List<String> methods(String mode) {
        return mode.equals("FULL") ? List.of("task_arithmetic", "ties") : List.of("ties", "moe_router");
    }

    public static StudyEvents events() {
        StudyEvents e = StudyEvents.empty();
        for (String mode : List.of("FULL", "LORA")) {
            for (String task : TASKS) {
                for (long seed : SEEDS) {
                    run(e, mode, task, seed, "observe");
                    if (mode.equals("FULL")) {
                        run(e, mode, task, seed, "enforce");
                    }
                }
            }
            for (long seed : SEEDS) {
                for (String method : methods(mode)) {
                    e.merges().add(merge(mode, method, seed, "auto", 0));
                    for (long length : LENGTHS) {
                        e.merges().add(merge(mode, method, seed, "length", length));
                    }
                }
                e.merges().add(probe(mode, seed));
            }
        }
        return e;
    }

    static String runId(String mode, String task, long seed, String pass) {
        return mode.toLowerCase(Locale.ROOT) + "-" + task + "-s" + seed + "-" + pass;
    }

    /** The checkpoint the monitor chose: spam 64 (seed 1) or 32 (seed 2), grain 128. */
    static long stopCheckpoint(String task, long seed) {
        return task.equals("grain") ? 128 : seed == 1 ? 64 : 32;
    }

    static long decidedAt(String task, long seed) {
        return task.equals("grain") ? 128 : seed == 1 ? 70 : 40;
    }

    private static void run(StudyEvents e, String mode, String task, long seed, String pass) {
        String id = runId(mode, task, seed, pass);
        e.started().add(SampleEvents.started(id, 100).setTask(task).setBaseModelId("trunk").setBaseModelSha256(sha("base"))
                .setMode(FineTuneMode.valueOf(mode)).setSeed(seed).setDatasetFingerprint(sha(task)).setClassCount(2)
                .setHyperParameters(Map.of("steps", Long.toString(BUDGET), "learningRate", "0.003", "batchSize", "64",
                        "study.id", "study-t", "study.pass", pass, "study.mode", mode, "study.seed", Long.toString(seed)))
                .build());
        boolean fires = !task.equals("grain");
        long decided = decidedAt(task, seed);
        e.decisions().add(StopDecision.newBuilder().setDecisionId(id + ":" + (fires ? "learned-fraction-v1" : "end-of-run-v1") + ":" + decided)
                .setRunId(id).setTask(task).setDecidedAtStep(decided).setCheckpointStep(stopCheckpoint(task, seed))
                .setCheckpointUri("file:/c/" + id).setCheckpointSha256(sha(id + "@" + stopCheckpoint(task, seed)))
                .setPolicy(fires ? "learned-fraction" : "end-of-run").setPolicyVersion(1).setParameters(Map.of("target.fraction", "0.97"))
                .setMode(pass.equals("observe") ? DecisionMode.OBSERVE : DecisionMode.ENFORCE)
                .setReason(fires ? "learned fraction 0.980 >= 0.97 at step " + decided : "run ended (BUDGET_EXHAUSTED) at step 128")
                .setSignals(List.of(signal("learned-fraction", decided, s -> s / (double) (decided + 2)),
                        signal("hard-share", decided, s -> 1 - s / (double) (decided + 2))))
                .build());
        long end = pass.equals("enforce") ? decided : BUDGET;
        if (pass.equals("observe") && seed == 1) {
            for (long s = 1; s <= end; s++) {
                e.steps().add(StepMetrics.newBuilder().setRunId(id).setStep(s).setEpoch(0).setTrainLoss(1f / s).setLearningRate(0.003f)
                        .setEvalLoss(s % 32 == 0 ? 2f / s : null).setEvalAccuracy(s % 32 == 0 ? 0.9f : null).build());
            }
        }
        boolean stopped = end < BUDGET;
        e.ended().add(RunEnded.newBuilder().setRunId(id).setFinalStep(end)
                .setReason(stopped ? EndReason.STOPPED : EndReason.BUDGET_EXHAUSTED)
                .setStopDecidedAtStep(stopped ? decided : null).setStopLatencyMs(stopped ? 100.0 + decided : null).build());
    }

    private static SignalSeries signal(String name, long decided, Function<Long, Double> value) {
        List<Long> steps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (long s = decided - 7; s <= decided; s++) {
            steps.add(s);
            values.add(value.apply(s));
        }
        return SignalSeries.newBuilder().setName(name).setSteps(steps).setValues(values).build();
    }

    static double merged(String mode, String method, long seed, String point, String task) {
        return POINT.get(point) + (task.equals("spam") ? .05 : -.05) + (seed == 1 ? .01 : -.01) + METHOD.get(method)
                + (mode.equals("FULL") ? 0 : -.10);
    }

    private static MergeCompleted merge(String mode, String method, long seed, String pointTag, long length) {
        String point = pointTag.equals("auto") ? "auto" : Long.toString(length);
        String id = mode + "-" + method + "-s" + seed + "-" + point;
        List<TaskScore> scores = new ArrayList<>();
        List<ExpertRef> experts = new ArrayList<>();
        for (String task : TASKS) {
            double m = merged(mode, method, seed, point, task);
            double expert = EXPERT.get(point) + (task.equals("spam") ? .01 : -.01);
            DifficultyScore difficulty = method.equals("ties") && task.equals("spam") ? DifficultyScore.newBuilder().setReferenceStep(8)
                    .setReferenceUri("file:/r").setReferenceSha256(sha("r")).setHardFraction(0.1).setHardCutoff(0.5).setEasyExamples(90)
                    .setHardExamples(10).setExpertEasyAccuracy(.99).setExpertHardAccuracy(.80).setMergedEasyAccuracy(.95)
                    .setMergedHardAccuracy(pointTag.equals("auto") ? .60 : .40).build() : null;
            scores.add(TaskScore.newBuilder().setTask(task).setMergedAccuracy(m).setExpertAccuracy(expert).setNormalizedAccuracy(m + .1)
                    .setExamples(100).setDifficulty(difficulty).build());
            long step = pointTag.equals("auto") ? stopCheckpoint(task, seed) : length;
            String run = runId(mode, task, seed, "observe");
            experts.add(ExpertRef.newBuilder().setRunId(run).setTask(task).setStep(step).setUri("file:/c/" + run)
                    .setSha256(sha(run + "@" + step)).build());
        }
        Map<String, String> tags = new java.util.LinkedHashMap<>(Map.of("study.id", "study-t", "study.mode", mode,
                "study.seed", Long.toString(seed), "study.point", pointTag));
        if (length > 0) {
            tags.put("study.length", Long.toString(length));
        }
        return MergeCompleted.newBuilder().setMergeId(id).setPlanId(id).setMethod(method).setParameters(Map.of("lambda", "0.5"))
                .setSeed(seed).setExperts(experts).setBaseSha256(sha("base")).setOutputUri("file:/m/" + id).setOutputSha256(sha(id))
                .setScores(scores).setMergeMillis(1).setEvalMillis(1).setTags(tags).build();
    }

    private static MergeCompleted probe(String mode, long seed) {
        String id = mode + "-probe-s" + seed;
        List<TaskScore> scores = new ArrayList<>();
        for (String task : TASKS) {
            double acc = (task.equals("spam") ? .60 : .50) + (seed == 1 ? .01 : -.01);
            scores.add(TaskScore.newBuilder().setTask(task).setMergedAccuracy(acc).setExpertAccuracy(acc).setNormalizedAccuracy(1)
                    .setExamples(100).build());
        }
        return MergeCompleted.newBuilder().setMergeId(id).setPlanId(id).setMethod("linear_probe").setSeed(seed).setExperts(List.of())
                .setBaseSha256(sha("base")).setOutputUri("").setOutputSha256("").setScores(scores).setMergeMillis(0).setEvalMillis(1)
                .setTags(Map.of("study.id", "study-t", "study.mode", mode, "study.seed", Long.toString(seed), "study.point", "baseline"))
                .build();
    }

    /** Writes {@code e} as a log file, one section per topic, as {@code upcycle export} does. */
    public static void write(StudyEvents e, Path file) throws IOException {
        write(e, List.of(), file);
    }

    /** Writes {@code e} and {@code losses} (an example-losses section) as a log file. */
    public static void write(StudyEvents e, List<io.upcycle.schemas.avro.ExampleLosses> losses, Path file) throws IOException {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Topics topics = Topics.connect(registry);
        try (LogWriter w = new LogWriter(file)) {
            List<RunEvent> runs = new ArrayList<>();
            e.started().forEach(s -> runs.add(RunEvent.newBuilder().setEvent(s).build()));
            e.ended().forEach(x -> runs.add(RunEvent.newBuilder().setEvent(x).build()));
            section(w, registry, topics.runs(), runs, r -> r.getEvent() instanceof RunStarted s ? s.getRunId() : ((RunEnded) r.getEvent()).getRunId());
            section(w, registry, topics.stepMetrics(), e.steps(), StepMetrics::getRunId);
            if (!losses.isEmpty()) {
                section(w, registry, topics.exampleLosses(), losses, io.upcycle.schemas.avro.ExampleLosses::getRunId);
            }
            section(w, registry, topics.stopDecisions(), e.decisions(), StopDecision::getRunId);
            section(w, registry, topics.mergeResults(), e.merges(), MergeCompleted::getMergeId);
        }
    }

    private static <V extends SpecificRecord> void section(LogWriter w, InMemorySchemaRegistryClient registry, Topic<String, V> topic,
                                                           List<V> values, Function<V, String> key) throws IOException {
        w.section(topic.name(), 0);
        for (int i = 0; i < values.size(); i++) {
            byte[] value = topic.valueSerde().serializer().serialize(topic.name(), values.get(i));
            int id = WireFormat.schemaId(topic.name(), value);
            w.schema(id, registry.schemaById(id));
            w.record(new LoggedRecord(topic.name(), 0, i, 1_700_000_000_000L + i, key.apply(values.get(i)).getBytes(StandardCharsets.UTF_8),
                    value));
        }
    }

    static String sha(String text) {
        return SampleEvents.sha256(text);
    }
}
