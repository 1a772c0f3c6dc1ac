package io.upcycle.cli;

import io.upcycle.merger.MergeResult;
import io.upcycle.merger.MergerConfig;
import io.upcycle.merger.MergerMain;
import io.upcycle.merger.TaskDataSource;
import io.upcycle.model.UpcycleHome;
import io.upcycle.model.data.TaskCatalog;
import io.upcycle.model.data.TaskData;
import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorService;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.trainer.BaseModel;
import io.upcycle.trainer.TrainerConfig;
import io.upcycle.trainer.TrainerService;
import io.upcycle.trainer.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The whole loop on one stack: experts train and stream their events, the monitor stops each one
 * when it has learned its training set, and the merger merges the chosen checkpoints once all
 * have stopped. Returns what happened, for the console table and for tests.
 */
final class Demo {
    private static final Duration MONITOR_START = Duration.ofSeconds(120);
    private static final Duration MERGE_WAIT = Duration.ofMinutes(20);

    private final StackEndpoints endpoints;
    private final DemoOptions options;
    private final PrintStream progress;

    Demo(StackEndpoints endpoints, DemoOptions options, PrintStream progress) {
        this.endpoints = endpoints;
        this.options = options;
        this.progress = progress;
    }

    DemoResult run() throws Exception {
        KafkaConnection connection = new KafkaConnection(endpoints.bootstrapServers(), endpoints.registryUrl());
        Topics.ensureCreated(connection, 1);
        String tag = Long.toString(System.currentTimeMillis(), 36);

        progress.println("[1/4] data: fetching and embedding (first run only) ...");
        TaskData pretrain = TaskCatalog.load("fortune-pretrain");
        Map<String, TaskData> tasks = new LinkedHashMap<>();
        for (String task : options.tasks()) {
            tasks.put(task, TaskCatalog.load(task));
        }
        Map<String, TrainerConfig> configs = new LinkedHashMap<>();
        tasks.keySet().forEach(task -> configs.put(task, trainerConfig(task, task + "-" + tag)));

        progress.println("[2/4] base: pretraining the trunk on fortune-pretrain (cached after the first run) ...");
        BaseModel base = TrainerService.prepareBase(configs.values().iterator().next(), pretrain);
        progress.printf("      base %s, sha256 %s, validation accuracy %.3f%n", base.id(), base.sha256().substring(0, 12), base.validationAccuracy());

        Path stateDir = Files.createDirectories(UpcycleHome.resolve().resolve("state").resolve("demo-" + tag));
        try (MonitorService monitor = MonitorService.start(monitorConfig(stateDir, tag))) {
            if (!monitor.awaitRunning(MONITOR_START)) {
                throw new IllegalStateException("monitor did not reach RUNNING within " + MONITOR_START + " (state " + monitor.state() + ")");
            }
            progress.println("[3/4] monitor running" + monitor.dashboardUrl().map(url -> ", dashboard " + url).orElse("")
                    + "; merger waiting for " + configs.size() + " stop decisions");
            List<String> runIds = configs.values().stream().map(TrainerConfig::runId).toList();
            CompletableFuture<MergeResult> merge = CompletableFuture.supplyAsync(
                    () -> MergerMain.run(mergerConfig(runIds, base, tag), TaskDataSource.catalog()),
                    task -> new Thread(task, "upcycle-demo-merger").start());

            progress.println("[4/4] training " + configs.size() + " experts concurrently (budget " + options.steps() + " steps each) ...");
            List<TrainingResult> trainings = train(configs, tasks, base);
            trainings.forEach(r -> progress.printf("      %s: %d steps, %s%n", r.task(), r.stepsDone(), r.endReason()));
            MergeResult merged = merge.get(MERGE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, StopDecision> decisions = DecisionLog.read(connection, runIds);
            return new DemoResult(trainings, decisions, merged.event());
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private List<TrainingResult> train(Map<String, TrainerConfig> configs, Map<String, TaskData> tasks, BaseModel base) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(configs.size(), r -> new Thread(r, "upcycle-demo-trainer"));
        try {
            List<Future<TrainingResult>> futures = new ArrayList<>();
            configs.forEach((task, config) -> futures.add(pool.submit(() -> TrainerService.run(config, tasks.get(task), base))));
            List<TrainingResult> results = new ArrayList<>();
            for (Future<TrainingResult> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private TrainerConfig trainerConfig(String task, String runId) {
        return TrainerConfig.from(Map.of(
                "task", task,
                "run-id", runId,
                "steps", Long.toString(options.steps()),
                "lr", Float.toString(options.learningRate()),
                "seed", Long.toString(options.seed()),
                "bootstrap-servers", endpoints.bootstrapServers(),
                "registry-url", endpoints.registryUrl()));
    }

    private MonitorConfig monitorConfig(Path stateDir, String tag) {
        return MonitorConfig.from(Map.of(
                KafkaConnection.BOOTSTRAP_SERVERS, endpoints.bootstrapServers(),
                KafkaConnection.REGISTRY_URL, endpoints.registryUrl(),
                "application.id", "upcycle-monitor-demo-" + tag,
                "state.dir", stateDir.toString(),
                "decision.mode", "ENFORCE",
                "policy.name", "learned-fraction",
                "policy.targetFraction", Double.toString(options.targetFraction()),
                "policy.lossThreshold", Double.toString(options.lossThreshold()),
                "http.port", "0"));
    }

    private MergerConfig mergerConfig(List<String> runIds, BaseModel base, String tag) {
        return MergerConfig.from(Map.of(
                KafkaConnection.BOOTSTRAP_SERVERS, endpoints.bootstrapServers(),
                KafkaConnection.REGISTRY_URL, endpoints.registryUrl(),
                "merger.group.id", "upcycle-merger-demo-" + tag,
                "merger.plan.id", "demo-" + tag,
                "merger.plan.runs", String.join(",", runIds),
                "merger.plan.base.uri", base.path().toUri().toString(),
                "merger.plan.base.sha256", base.sha256(),
                "merger.wait.ms", Long.toString(MERGE_WAIT.toMillis())));
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
