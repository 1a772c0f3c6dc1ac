package io.upcycle.bench.trainer;

import io.upcycle.files.FileTrees;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.tasks.TaskCatalog;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.ExpertTrainer;
import io.upcycle.trainer.events.KafkaTrainingEvents;
import io.upcycle.trainer.events.PublishingStats;
import io.upcycle.trainer.control.StopDecisionWatcher;
import io.upcycle.trainer.control.StopSignal;
import io.upcycle.trainer.TrainerConfig;
import io.upcycle.trainer.TrainerService;
import io.upcycle.trainer.TrainingResult;
import io.upcycle.trainer.TrainingTimings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code upcycle bench trainer}: the cost of streaming every step's events. Fine-tunes real experts
 * (the task's real data, the real pretrained base) with event publishing off (events go nowhere)
 * and on (to a real broker and registry, with the stop-decision watcher running, as the service
 * does), in the same JVM and run, alternating the two modes round by round (and which goes first)
 * after one warm-up run of each, so that drift of a shared machine hits both alike. Returns every
 * run's figures; {@link TrainerBenchmarkResult} summarizes them.
 */
public final class TrainerBenchmark {
    private final TrainerBenchmarkOptions options;
    private final KafkaConnection connection;
    private final PrintStream progress;
    private final PublishingCpu publishingCpu = new PublishingCpu();
    private final PeakMemory memory = new PeakMemory();

    private TrainerBenchmark(TrainerBenchmarkOptions options, KafkaConnection connection, PrintStream progress) {
        this.options = options;
        this.connection = connection;
        this.progress = progress;
    }

    /** Runs the benchmark, publishing to the broker and registry of {@code connection}; progress lines go to {@code progress}. */
    public static TrainerBenchmarkResult run(TrainerBenchmarkOptions options, KafkaConnection connection, PrintStream progress) {
        return new TrainerBenchmark(options, connection, progress).run();
    }

    private TrainerBenchmarkResult run() {
        long started = System.nanoTime();
        String tag = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        TrainerConfig template = config(tag, false, 1);
        progress.printf(Locale.ROOT, "loading %s and the base (fetched, embedded and pretrained on first use) ...%n", options.task());
        TaskData task = TaskCatalog.load(options.task());
        BaseModel base = TrainerService.prepareBase(template, TaskCatalog.load(template.pretrainTask()));
        Topics.ensureCreated(connection, template.topicPartitions());
        Path scratch = template.home().resolve("bench").resolve(tag);
        try {
            CheckpointStore store = new CheckpointStore(scratch.resolve("checkpoints"));
            if (options.warmupSteps() > 0) {
                progress.printf(Locale.ROOT, "warm-up: %d steps without and with publishing ...%n", options.warmupSteps());
                measure(tag + "-warmup-off", -1, false, options.warmupSteps(), task, base, store);
                measure(tag + "-warmup-on", -1, true, options.warmupSteps(), task, base, store);
            }
            List<BenchRun> runs = new ArrayList<>();
            for (int round = 0; round < options.rounds(); round++) {
                boolean publishFirst = round % 2 == 1;
                for (boolean publish : new boolean[] {publishFirst, !publishFirst}) {
                    BenchRun run = measure(tag + "-r" + round + (publish ? "-on" : "-off"), round, publish, options.steps(),
                            task, base, store);
                    progress.printf(Locale.ROOT, "round %d, publishing %-3s: %.3f ms/step, %.0f losses/s, %d records, %d queue waits%n",
                            round + 1, publish ? "on" : "off", run.msPerStep(), run.lossesPerSecond(), run.records(), run.queueWaits());
                    runs.add(run);
                }
            }
            List<BenchBlock> blocks = options.pairs() == 0 ? List.of() : interleaved(tag + "-interleaved", task, base, store);
            return new TrainerBenchmarkResult(options, task.train().size(), task.classNames().size(), base.sha256(), runs,
                    blocks, memory.lifetimePeakRss(), Runtime.getRuntime().maxMemory(), (System.nanoTime() - started) / 1e9);
        } finally {
            FileTrees.deleteQuietly(scratch);
        }
    }

    private BenchRun measure(String runId, int round, boolean publish, long steps, TaskData task, BaseModel base,
                             CheckpointStore store) {
        TrainerConfig config = config(runId, publish, steps);
        StopSignal stop = new StopSignal();
        ExpertTrainer.Builder trainer = ExpertTrainer.builder().setRunId(runId).setTask(task).setBase(base)
                .setSettings(config.trainingSettings()).setCheckpointStore(store).optStopSignal(stop);
        memory.reset();
        if (!publish) {
            long cpu = PublishingCpu.currentThread();
            TrainingResult result = trainer.build().train();
            return figures(round, false, result, PublishingCpu.currentThread() - cpu, 0, null, 0, 0);
        }
        long opening = System.nanoTime();
        try (Publishing publishing = Publishing.open(connection, runId, stop)) {
            long startUp = System.nanoTime() - opening;
            KafkaTrainingEvents events = publishing.events();
            long publishCpu = publishingCpu.total();
            long cpu = PublishingCpu.currentThread();
            TrainingResult result = trainer.optEvents(events).build().train();
            long trainCpu = PublishingCpu.currentThread() - cpu;
            long drainStart = System.nanoTime();
            events.flush();
            long drain = System.nanoTime() - drainStart;
            return figures(round, true, result, trainCpu, publishingCpu.total() - publishCpu, events.stats(), startUp, drain);
        }
    }

    /** One run that switches publishing on and off in blocks: see {@link AlternatingEvents}. */
    private List<BenchBlock> interleaved(String runId, TaskData task, BaseModel base, CheckpointStore store) {
        progress.printf(Locale.ROOT, "interleaved: one run of %d steps, %d pairs of %d-step blocks publishing and not, after %d steps ...%n",
                options.interleavedSteps(), options.pairs(), options.blockSteps(), options.interleavedWarmupSteps());
        TrainerConfig config = config(runId, true, options.interleavedSteps());
        StopSignal stop = new StopSignal();
        try (Publishing publishing = Publishing.open(connection, runId, stop)) {
            AlternatingEvents events = new AlternatingEvents(publishing.events(), options.interleavedWarmupSteps(),
                    options.blockSteps(), publishingCpu);
            ExpertTrainer.builder().setRunId(runId).setTask(task).setBase(base).setSettings(config.trainingSettings())
                    .setCheckpointStore(store).optStopSignal(stop).optEvents(events).build().train();
            events.flush();
            return events.blocks();
        }
    }

    /** What a publishing run opens, as {@code upcycle train} does: producer, events, stop-decision watcher. */
    private record Publishing(EventProducer producer, KafkaTrainingEvents events, StopDecisionWatcher watcher)
            implements AutoCloseable {

        static Publishing open(KafkaConnection connection, String runId, StopSignal stop) {
            Topics topics = Topics.connect(connection);
            EventProducer producer = new EventProducer(connection);
            try {
                KafkaTrainingEvents events = new KafkaTrainingEvents(producer, topics);
                try {
                    return new Publishing(producer, events,
                            StopDecisionWatcher.start(connection, topics.stopDecisions(), runId, stop));
                } catch (RuntimeException e) {
                    events.close();
                    throw e;
                }
            } catch (RuntimeException e) {
                producer.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try (EventProducer p = producer; KafkaTrainingEvents e = events; StopDecisionWatcher w = watcher) {
                // closed in reverse order: watcher, events (flushing), producer
            }
        }
    }

    private BenchRun figures(int round, boolean publish, TrainingResult result, long trainCpuNanos, long publishCpuNanos,
                             PublishingStats stats, long startUpNanos, long drainNanos) {
        TrainingTimings t = result.timings();
        PeakMemory.Peak peak = memory.read();
        double steps = t.steps();
        return new BenchRun(round, publish, t.steps(), t.msPerStep(), t.publishMsPerStep(), trainCpuNanos / 1e6 / steps,
                publishCpuNanos / 1e6 / steps, t.examplesPerSecond(), stats == null ? 0 : stats.records(),
                stats == null ? 0 : stats.bytes(), stats == null ? 0 : stats.queueWaits(),
                stats == null ? 0 : stats.queueWaitNanos() / 1e6, stats == null ? 0 : stats.peakQueued(), startUpNanos / 1e6, drainNanos / 1e6,
                peak.rssBytes(), peak.heapBytes());
    }

    /** A trainer configuration with the service's defaults for everything the benchmark does not set. */
    private TrainerConfig config(String runId, boolean publish, long steps) {
        Map<String, String> values = new java.util.HashMap<>(connection.configValues());
        values.putAll(Map.of("task", options.task(), "run.id", runId, "steps", Long.toString(steps),
                "batch.size", Integer.toString(options.batchSize()), "seed", Long.toString(options.seed()),
                "publish", Boolean.toString(publish)));
        return TrainerConfig.from(values);
    }

}
