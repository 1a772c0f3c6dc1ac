package io.upcycle.cli.study;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.LambdaGrid;
import io.upcycle.merger.MergeOptions;
import io.upcycle.merger.MergePlan;
import io.upcycle.merger.MergeRunner;
import io.upcycle.merger.PlanMethods;
import io.upcycle.merger.TaskDataSource;
import io.upcycle.merger.eval.LinearProbe;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.moe.MoeOptions;
import io.upcycle.merger.moe.MoeUpcycler;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.data.TaskData;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TaskScore;
import io.upcycle.trainer.BaseModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Every merge of one group of a study: each method at each point (automatic stop, each fixed
 * length, the full budget), the MoE upcycling of LoRA groups, and the linear-probe baseline; each
 * result published as a {@link MergeCompleted} event tagged with the study, mode, seed and point,
 * so that the report is built from the event log alone.
 */
final class GroupMerges {
    private static final int EVAL_BATCH = 2048;
    private static final int PROBE_EPOCHS = 30;
    private static final double PROBE_RATE = 3e-3;

    private final StudyOptions options;
    private final CheckpointStore store;
    private final TaskDataSource data;
    private final NDManager manager;
    private final String device;
    private final EventProducer producer;
    private final Topics topics;
    private final BaseModel base;
    private final PrintStream progress;
    private final Map<Long, List<TaskScore>> probes = new HashMap<>();

    GroupMerges(StudyOptions options, CheckpointStore store, TaskDataSource data, NDManager manager, String device,
                EventProducer producer, Topics topics, BaseModel base, PrintStream progress) {
        this.options = options;
        this.store = store;
        this.data = data;
        this.manager = manager;
        this.device = device;
        this.producer = producer;
        this.topics = topics;
        this.base = base;
        this.progress = progress;
    }

    /** The points a study merges at: automatic stop, then every fixed length (the full budget included). */
    static List<StudyPoint> points(StudyOptions options) {
        List<StudyPoint> points = new ArrayList<>(List.of(StudyPoint.auto()));
        options.lengths().forEach(l -> points.add(StudyPoint.length(l)));
        if (!options.lengths().contains(options.fullBudget())) {
            points.add(StudyPoint.length(options.fullBudget()));
        }
        return points;
    }

    /** Merges, scores and publishes everything of {@code group}; returns the events in publishing order. */
    List<MergeCompleted> run(ExpertGroup group, Map<String, StopDecision> decisions,
                             Map<String, TreeMap<Long, CheckpointSaved>> checkpoints) throws Exception {
        List<String> runIds = group.runIds(options.tasks());
        Map<String, String> taskOf = new LinkedHashMap<>();
        options.tasks().forEach(t -> taskOf.put(group.runId(t), t));
        List<MergeCompleted> events = new ArrayList<>();
        events.add(publish(probe(group), group, "baseline", 0));
        for (StudyPoint point : points(options)) {
            Optional<List<ExpertCheckpoint>> experts = point.experts(runIds, taskOf, decisions, checkpoints);
            if (experts.isEmpty()) {
                progress.println("      " + group.label() + " " + point.label() + ": a run has no checkpoint here, skipped");
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "      %-22s %-9s", group.label(), point.label()));
            for (String method : methods(group)) {
                MergePlan plan = new MergePlan(group.studyId() + "-" + group.mode().toLowerCase(Locale.ROOT) + "-s" + group.seed()
                        + "-" + point.label() + "-" + method, runIds, method, base.path().toUri().toString(), base.sha256());
                MergeCompleted event = runners(method, group).run(plan, experts.get()).event();
                events.add(publish(event, group, point.name(), point.length()));
                line.append(String.format(Locale.ROOT, "  %s %.3f", method, meanMerged(event)));
            }
            progress.println(line);
        }
        producer.flush();
        return events;
    }

    private List<String> methods(ExpertGroup group) {
        List<String> methods = new ArrayList<>(options.methods());
        if (options.moe() && group.mode().equals("LORA")) {
            methods.addAll(MoeUpcycler.METHODS);
        }
        return methods;
    }

    /** Every method's runner, as the merger service dispatches them; lambda by the adaptive search, on validation. */
    private PlanMethods runners(String method, ExpertGroup group) {
        MergeRunner merges = new MergeRunner(store, MergeMethods.defaults(), data, manager, device,
                new MergeOptions(LambdaGrid.adaptive(), EVAL_BATCH, group.seed(), OptionalDouble.empty()));
        return new PlanMethods(List.of(merges, moe(group)));
    }

    private MoeUpcycler moe(ExpertGroup group) {
        MoeOptions d = MoeOptions.defaults();
        return new MoeUpcycler(store, data, manager, device,
                new MoeOptions(d.topK(), group.seed(), d.routerEpochs(), d.routerLearningRate(), d.evalBatchSize()));
    }

    /** The linear probe on the frozen base, per task; one computation per seed, published with each group. */
    private MergeCompleted probe(ExpertGroup group) {
        long started = System.nanoTime();
        List<TaskScore> scores = probes.computeIfAbsent(group.seed(), seed -> {
            Map<String, Tensor> tensors = new HashMap<>();
            base.weights().tensors().forEach(t -> tensors.put(t.name(), t));
            List<TaskScore> list = new ArrayList<>();
            for (String task : options.tasks()) {
                TaskData taskData = data.load(task);
                LinearProbe.Result result = new LinearProbe(PROBE_EPOCHS, PROBE_RATE, seed).fit(tensors, taskData);
                list.add(TaskScore.newBuilder().setTask(task).setMergedAccuracy(result.testAccuracy())
                        .setExpertAccuracy(result.testAccuracy()).setNormalizedAccuracy(1.0).setExamples(result.testExamples())
                        .build());
            }
            return list;
        });
        String id = group.studyId() + "-" + group.mode().toLowerCase(Locale.ROOT) + "-s" + group.seed() + "-linear-probe";
        return MergeCompleted.newBuilder().setMergeId(id).setPlanId(id).setMethod("linear_probe")
                .setParameters(Map.of("epochs", Integer.toString(PROBE_EPOCHS), "learningRate", Double.toString(PROBE_RATE),
                        "selection", "best validation accuracy", "features", "frozen base trunk"))
                .setSeed(group.seed()).setExperts(List.of()).setBaseSha256(base.sha256()).setOutputUri("").setOutputSha256("")
                .setScores(scores).setMergeMillis(0).setEvalMillis((System.nanoTime() - started) / 1_000_000).setDevice("cpu")
                .build();
    }

    private MergeCompleted publish(MergeCompleted event, ExpertGroup group, String point, long length) throws Exception {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("study.id", group.studyId());
        tags.put("study.mode", group.mode());
        tags.put("study.seed", Long.toString(group.seed()));
        tags.put("study.point", point);
        if (length > 0) {
            tags.put("study.length", Long.toString(length));
        }
        event.setTags(tags);
        producer.send(topics.mergeResults(), event.getMergeId(), event, System.currentTimeMillis());
        return event;
    }

    private static double meanMerged(MergeCompleted event) {
        return event.getScores().stream().mapToDouble(TaskScore::getMergedAccuracy).average().orElse(Double.NaN);
    }
}
