package io.upcycle.cli.study;

import ai.djl.ndarray.NDManager;
import io.upcycle.cli.report.StudyTags;
import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.MergeOptions;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.merger.MergeRunner;
import io.upcycle.merger.plan.PlanMethods;
import io.upcycle.merger.TaskDataSource;
import io.upcycle.merger.eval.LinearProbe;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.moe.MoeOptions;
import io.upcycle.merger.moe.MoeUpcycler;
import io.upcycle.monitor.tracking.EndOfRun;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TaskScore;
import io.upcycle.trainer.network.BaseModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every merge of one group of a study: each method at each point (each task's stop under the live
 * rule and under every replayed rule, each fixed length, the full budget), the MoE upcycling of LoRA
 * groups, and the baselines (the base trunk with each expert's head at every point, the linear probe);
 * each result published as a {@link MergeCompleted} event tagged with the study, mode, seed, point,
 * method label and, at a stop point, the rule and each task's decided step, so that the report is
 * built from the event log alone.
 */
final class GroupMerges {
    private static final int EVAL_BATCH = 2048;

    private final StudyOptions options;
    private final CheckpointStore store;
    private final TaskDataSource data;
    private final NDManager manager;
    private final String device;
    private final EventProducer producer;
    private final Topics topics;
    private final BaseModel base;
    private final PrintStream progress;
    private final Probes probes;

    GroupMerges(StudyOptions options, CheckpointStore store, TaskDataSource data, NDManager manager, String device,
                EventProducer producer, Topics topics, BaseModel base, Probes probes, PrintStream progress) {
        this.options = options;
        this.store = store;
        this.data = data;
        this.manager = manager;
        this.device = device;
        this.producer = producer;
        this.topics = topics;
        this.base = base;
        this.probes = probes;
        this.progress = progress;
    }

    /** The points a study merges at: the live rule's stop, each replayed rule's, then every fixed length (the full budget included). */
    static List<StudyPoint> points(StudyOptions options) {
        List<StudyPoint> points = new ArrayList<>(List.of(StudyPoint.auto()));
        options.rules().forEach(r -> points.add(StudyPoint.rule(r)));
        options.lengths().forEach(l -> points.add(StudyPoint.length(l)));
        if (!options.lengths().contains(options.fullBudget())) {
            points.add(StudyPoint.length(options.fullBudget()));
        }
        return points;
    }

    /**
     * Merges, scores and publishes everything of {@code group}: {@code live} are the monitor's
     * decisions, {@code replayed} each replayed rule's; returns the events in publishing order.
     */
    List<MergeCompleted> run(ExpertGroup group, Map<String, StopDecision> live, Map<String, Map<String, StopDecision>> replayed,
                             Map<String, NavigableMap<Long, CheckpointSaved>> checkpoints) throws Exception {
        List<String> runIds = group.runIds(options.tasks());
        Map<String, String> taskOf = new LinkedHashMap<>();
        options.tasks().forEach(t -> taskOf.put(group.runId(t), t));
        List<MergeCompleted> events = new ArrayList<>();
        events.add(publish(probe(group), tags(group, "baseline", 0)));
        for (StudyPoint point : points(options)) {
            Map<String, StopDecision> decisions = point.decisions(live, replayed);
            Optional<List<ExpertCheckpoint>> experts = point.experts(runIds, taskOf, decisions, checkpoints);
            if (experts.isEmpty()) {
                progress.println("      " + group.label() + " " + point.label() + ": a run has no checkpoint here, skipped");
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "      %-22s %-9s", group.label(), point.label()));
            for (StudyMethod method : methods(group)) {
                MergePlan plan = new MergePlan(group.studyId() + "-" + group.mode().toLowerCase(Locale.ROOT) + "-s" + group.seed()
                        + "-" + point.label() + "-" + method.label().replace(':', '-'), runIds, method.method(),
                        base.path().toUri().toString(), base.sha256());
                MergeCompleted event = runners(method, group).run(plan, experts.get()).event();
                Map<String, String> tags = tags(group, point.name(), point.length());
                tags.put(StudyTags.METHOD, method.label());
                if (point.isStop()) {
                    tags.putAll(stopTags(point, decisions, runIds));
                }
                events.add(publish(event, tags));
                line.append(String.format(Locale.ROOT, "  %s %.3f", method.label(), meanMerged(event)));
            }
            progress.println(line);
        }
        producer.flush();
        return events;
    }

    /** The base + heads baseline, the study's methods, and for LoRA groups the MoE upcycling. */
    private List<StudyMethod> methods(ExpertGroup group) {
        List<StudyMethod> methods = new ArrayList<>(List.of(StudyMethod.parse(StudyMethod.BASE_HEADS)));
        options.methods().forEach(m -> methods.add(StudyMethod.parse(m)));
        if (options.moe() && group.mode().equals("LORA")) {
            MoeUpcycler.METHODS.forEach(m -> methods.add(StudyMethod.parse(m)));
        }
        return methods;
    }

    /** Every method's runner, as the merger service dispatches them, with {@code method}'s lambdas and trim scope. */
    private PlanMethods runners(StudyMethod method, ExpertGroup group) {
        MergeRunner merges = new MergeRunner(store, MergeMethods.defaults(), data, manager, device,
                new MergeOptions(method.lambdas(), EVAL_BATCH, group.seed(), OptionalDouble.empty()).withTrimScope(method.trimScope()));
        return new PlanMethods(List.of(merges, moe(group)));
    }

    /** At a stop point: the rule, and each task's decided step (the merged step is in the event's experts). */
    private static Map<String, String> stopTags(StudyPoint point, Map<String, StopDecision> decisions, List<String> runIds) {
        Map<String, String> tags = new LinkedHashMap<>();
        StopDecision first = decisions.get(runIds.get(0));
        String live = EndOfRun.policyOf(first);
        tags.put(StudyTags.RULE, point.rule() != null ? point.rule() : live != null ? live : first.getPolicy());
        StringBuilder decided = new StringBuilder();
        for (String run : runIds) {
            StopDecision d = decisions.get(run);
            decided.append(decided.length() == 0 ? "" : ",").append(d.getTask()).append('=').append(d.getDecidedAtStep());
        }
        tags.put(StudyTags.DECIDED, decided.toString());
        return tags;
    }


    private MoeUpcycler moe(ExpertGroup group) {
        MoeOptions d = MoeOptions.defaults();
        return new MoeUpcycler(store, data, manager, device,
                new MoeOptions(d.topK(), group.seed(), d.routerEpochs(), d.routerLearningRate(), d.evalBatchSize()));
    }

    /** The linear probe on the frozen base, per task (fitted once per seed), published with each group. */
    private MergeCompleted probe(ExpertGroup group) {
        long started = System.nanoTime();
        List<TaskScore> scores = new ArrayList<>();
        for (String task : options.tasks()) {
            LinearProbe.Result result = probes.of(group.seed(), task);
            scores.add(TaskScore.newBuilder().setTask(task).setMergedAccuracy(result.testAccuracy())
                    .setExpertAccuracy(result.testAccuracy()).setNormalizedAccuracy(1.0).setExamples(result.testExamples())
                    .build());
        }
        String id = group.studyId() + "-" + group.mode().toLowerCase(Locale.ROOT) + "-s" + group.seed() + "-linear-probe";
        return MergeCompleted.newBuilder().setMergeId(id).setPlanId(id).setMethod("linear_probe")
                .setParameters(Map.of("epochs", Integer.toString(Probes.EPOCHS), "learningRate", Double.toString(Probes.LEARNING_RATE),
                        "selection", "best validation accuracy", "features", "frozen base trunk"))
                .setSeed(group.seed()).setExperts(List.of()).setBaseSha256(base.sha256()).setOutputUri("").setOutputSha256("")
                .setScores(scores).setMergeMillis(0).setEvalMillis((System.nanoTime() - started) / 1_000_000).setDevice("cpu")
                .build();
    }

    private static Map<String, String> tags(ExpertGroup group, String point, long length) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(StudyTags.ID, group.studyId());
        tags.put(StudyTags.MODE, group.mode());
        tags.put(StudyTags.SEED, Long.toString(group.seed()));
        tags.put(StudyTags.POINT, point);
        if (length > 0) {
            tags.put(StudyTags.LENGTH, Long.toString(length));
        }
        return tags;
    }

    private MergeCompleted publish(MergeCompleted event, Map<String, String> tags) throws Exception {
        event.setTags(tags);
        producer.send(topics.mergeResults(), event.getMergeId(), event, System.currentTimeMillis());
        return event;
    }

    private static double meanMerged(MergeCompleted event) {
        return event.getScores().stream().mapToDouble(TaskScore::getMergedAccuracy).average().orElse(Double.NaN);
    }
}
