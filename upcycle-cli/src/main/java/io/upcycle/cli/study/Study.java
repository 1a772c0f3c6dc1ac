package io.upcycle.cli.study;

import io.upcycle.cli.report.StudyReport;
import io.upcycle.merger.TaskDataSource;
import io.upcycle.merger.engine.TensorFlowEngine;
import io.upcycle.files.UpcycleHome;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.tasks.TaskCatalog;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.monitor.audit.TopicExporter;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.TrainerConfig;
import io.upcycle.trainer.TrainerService;
import io.upcycle.trainer.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The main job: does stopping each expert at its memorization point merge better than training
 * to the end? Trains one expert per task for each mode and seed with the monitor observing (so
 * the same runs give the full-budget baseline and every fixed length), merges at each task's
 * automatic stop, at each length and at the full budget, then repeats the training with the
 * decisions enforced to measure the compute saved; exports the event log and builds the report
 * from it.
 */
public final class Study {
    private static final Duration DECISION_WAIT = Duration.ofMinutes(5);

    private final StackEndpoints endpoints;
    private final StudyOptions options;
    private final PrintStream progress;

    public Study(StackEndpoints endpoints, StudyOptions options, PrintStream progress) {
        this.endpoints = endpoints;
        this.options = options;
        this.progress = progress;
    }

    /**
     * What a study produced.
     *
     * @param studyId labels every run and merge of the study
     * @param observed the observe pass's training results, per group label
     * @param decisions the observe pass's first decision per run
     * @param ruleDecisions per replayed rule, each observe run's first decision under it
     * @param merges every merge result published
     * @param enforced the enforce pass's training results, per group label (empty when off)
     * @param report the files written
     */
    public record Outcome(String studyId, Map<String, List<TrainingResult>> observed, Map<String, StopDecision> decisions,
                          Map<String, Map<String, StopDecision>> ruleDecisions, List<MergeCompleted> merges, Map<String, List<TrainingResult>> enforced, StudyReport.Files report) {
    }

    public Outcome run() throws Exception {
        long started = System.nanoTime();
        KafkaConnection connection = new KafkaConnection(endpoints.bootstrapServers(), endpoints.registryUrl());
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        String studyId = "study-" + Long.toString(System.currentTimeMillis(), 36);
        Files.createDirectories(options.out());
        int groups = options.modes().size() * options.seeds().size();
        progress.printf("study %s: %d tasks x %s x seeds %s, %d steps each, heads %s; merged at each task's stop (live rule"
                        + " learned-fraction, replayed %s) and at %s%n", studyId, options.tasks().size(), options.modes(),
                options.seeds(), options.steps(), options.heads(), options.rules(),
                GroupMerges.points(options).stream().filter(p -> !p.isStop()).map(StudyPoint::length).toList());

        progress.println("[1/5] data: fetching and embedding (first run only) ...");
        TaskData pretrain = TaskCatalog.load("fortune-pretrain");
        Map<String, TaskData> tasks = new LinkedHashMap<>();
        for (String task : options.tasks()) {
            tasks.put(task, TaskCatalog.load(task));
        }
        progress.println("[2/5] base: pretraining the trunk on fortune-pretrain (cached after the first run) ...");
        BaseModel base = TrainerService.prepareBase(TrainerConfig.from(Map.of("task", options.tasks().get(0))), pretrain);
        progress.printf("      base %s, sha256 %s, validation accuracy %.3f%n", base.id(), base.sha256().substring(0, 12),
                base.validationAccuracy());

        Path stateRoot = UpcycleHome.resolve().resolve("state");
        Map<String, List<TrainingResult>> observed = new LinkedHashMap<>();
        Map<String, StopDecision> decisions = new LinkedHashMap<>();
        Map<String, Map<String, StopDecision>> ruleDecisions = new LinkedHashMap<>();
        List<MergeCompleted> merges = new ArrayList<>();
        Path checkpoints = UpcycleHome.resolve().resolve("checkpoints");
        CheckpointStore store = new CheckpointStore(checkpoints, List.of(checkpoints, base.path().getParent()));
        Probes probes = new Probes(base, loaded(tasks));
        Map<Long, Map<String, Path>> heads = heads(probes, store.root().resolve(studyId + "-probe-heads"));
        TensorFlowEngine tf = TensorFlowEngine.load();
        try (var manager = tf.engine().newBaseManager();
             EventProducer producer = new EventProducer(connection);
             MonitorPass monitor = MonitorPass.start(connection, studyId + "-observe", "OBSERVE", options, stateRoot, progress)) {
            GroupMerges merger = new GroupMerges(options, store, loaded(tasks), manager, tf.deviceName(), producer, topics, base,
                    probes, progress);
            int index = 0;
            for (String mode : options.modes()) {
                for (long seed : options.seeds()) {
                    ExpertGroup group = new ExpertGroup(studyId, "observe", mode, seed);
                    progress.printf("[3/5] observe pass, group %d of %d (%s): training %d experts to %d steps ...%n",
                            ++index, groups, group.label(), tasks.size(), options.steps());
                    List<TrainingResult> results = group.train(tasks, base, options, connection, heads.get(seed), progress);
                    observed.put(group.label(), results);
                    List<String> runIds = group.runIds(options.tasks());
                    Map<String, StopDecision> groupDecisions = awaitDecisions(connection, runIds);
                    decisions.putAll(groupDecisions);
                    groupDecisions.values().forEach(d -> progress.printf("      %-16s would stop at step %d, merge step %s: %s%n",
                            d.getTask(), d.getDecidedAtStep(), d.getCheckpointStep(), d.getReason()));
                    Map<String, Map<String, StopDecision>> replayed = RuleReplay.decisions(connection, runIds, options.rules());
                    replayed.forEach((rule, byRun) -> ruleDecisions.computeIfAbsent(rule, r -> new LinkedHashMap<>()).putAll(byRun));
                    replayed.forEach((rule, byRun) -> byRun.values().forEach(d -> progress.printf(
                            "      %-16s %s (replayed): stop at step %d, merge step %s%n", d.getTask(), rule, d.getDecidedAtStep(),
                            d.getCheckpointStep())));
                    progress.printf("      merging (%s) at every point ...%n", String.join(", ", options.methods()));
                    merges.addAll(merger.run(group, groupDecisions, replayed, TopicLog.checkpoints(connection, runIds)));
                }
            }
        }

        Map<String, List<TrainingResult>> enforced = new LinkedHashMap<>();
        if (options.enforce()) {
            try (MonitorPass monitor = MonitorPass.start(connection, studyId + "-enforce", "ENFORCE", options, stateRoot, progress)) {
                for (String mode : options.modes()) {
                    for (long seed : options.seeds()) {
                        ExpertGroup group = new ExpertGroup(studyId, "enforce", mode, seed);
                        progress.printf("[4/5] enforce pass (%s): training until the monitor stops each expert ...%n", group.label());
                        List<TrainingResult> results = group.train(tasks, base, options, connection, heads.get(seed), progress);
                        results.forEach(r -> progress.printf("      %-16s %5d of %d steps, %s%n", r.task(), r.stepsDone(),
                                options.steps(), r.endReason()));
                        enforced.put(group.label(), results);
                    }
                }
            }
        }

        progress.println("[5/5] report: exporting the event log and building the report from it ...");
        Path log = options.out().resolve(StudyReport.LOG_FILE);
        Map<String, Long> written = TopicExporter.export(connection, log, Set.of());
        progress.printf("      %d events exported to %s%n", written.values().stream().mapToLong(Long::longValue).sum(), log);
        StudyReport.Files report = StudyReport.write(log, options.out(), progress);
        progress.printf("study %s done in %.1f min%n", studyId, (System.nanoTime() - started) / 6e10);
        return new Outcome(studyId, observed, decisions, ruleDecisions, merges, enforced, report);
    }

    /** With {@code --heads probe}: per seed, each task's probe head file (written into {@code folder}); else empty maps. */
    private Map<Long, Map<String, Path>> heads(Probes probes, Path folder) throws java.io.IOException {
        Map<Long, Map<String, Path>> heads = new LinkedHashMap<>();
        for (long seed : options.seeds()) {
            Map<String, Path> files = new LinkedHashMap<>();
            if (options.heads().equals(StudyOptions.HEADS_PROBE)) {
                for (String task : options.tasks()) {
                    files.put(task, probes.headFile(folder, seed, task));
                }
            }
            heads.put(seed, files);
        }
        if (options.heads().equals(StudyOptions.HEADS_PROBE)) {
            progress.printf("      heads: each expert starts from its task's linear probe on the base, frozen (%s)%n", folder);
        }
        return heads;
    }

    /** The study's tasks as already loaded (loading verifies every data file: too slow to repeat per merge). */
    private static TaskDataSource loaded(Map<String, TaskData> tasks) {
        return task -> {
            TaskData data = tasks.get(task);
            return data != null ? data : TaskCatalog.load(task);
        };
    }

    private static Map<String, StopDecision> awaitDecisions(KafkaConnection connection, List<String> runIds) throws InterruptedException {
        long deadline = System.nanoTime() + DECISION_WAIT.toNanos();
        while (true) {
            Map<String, StopDecision> found = TopicLog.decisions(connection, runIds);
            if (found.size() == runIds.size()) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no stop decision within " + DECISION_WAIT + " for runs "
                        + runIds.stream().filter(r -> !found.containsKey(r)).toList() + " (the monitor emits one when a run ends at the latest)");
            }
            Thread.sleep(250);
        }
    }
}
