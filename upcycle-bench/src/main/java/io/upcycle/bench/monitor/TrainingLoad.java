package io.upcycle.bench.monitor;

import io.upcycle.files.FileTrees;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.tasks.TaskCatalog;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.trainer.ExpertTrainer;
import io.upcycle.trainer.TrainerConfig;
import io.upcycle.trainer.TrainerService;
import io.upcycle.trainer.control.StopSignal;
import io.upcycle.trainer.events.KafkaTrainingEvents;
import io.upcycle.trainer.network.BaseModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trainers fine-tuning real experts in this process while the monitor runs: the load of a study's
 * pass, where one expert per task trains at once. Trainer {@code i} fine-tunes the {@code i}-th of
 * the study's tasks (cycled) with the service's defaults, publishing every step's events to the
 * stack as {@code upcycle train} does, so the monitor processes their losses beside the records
 * being measured. They hear no stop decisions (the monitor may decide theirs; they train on) and
 * stop when the load is closed, or at {@link #MAX_STEPS}.
 */
final class TrainingLoad implements AutoCloseable {
    /** Steps each trainer must have completed before the load counts as running (the engine is warm by then). */
    static final long WARM_STEPS = 30;
    static final long MAX_STEPS = 1_000_000;
    private static final Duration WARM_TIMEOUT = Duration.ofMinutes(10);

    private final List<Trainer> trainers;
    private final Path scratch;
    private long markNanos;
    private long markSteps;

    private record Trainer(String runId, String task, Thread thread, StopSignal stop, AtomicReference<Throwable> failure) {
    }

    private TrainingLoad(List<Trainer> trainers, Path scratch) {
        this.trainers = trainers;
        this.scratch = scratch;
    }

    /** Starts {@code n} trainers as runs {@code prefix-load-i} and returns once each has completed {@link #WARM_STEPS}. */
    static TrainingLoad start(KafkaConnection connection, String prefix, int n, PrintStream out) throws InterruptedException {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(TaskCatalog.STUDY_TASKS.get(i % TaskCatalog.STUDY_TASKS.size()));
        }
        out.printf(Locale.ROOT, "training load: %d trainers (%s), loading their data and the base (fetched, embedded and "
                + "pretrained on first use) ...%n", n, String.join(", ", tasks));
        TrainerConfig template = config(connection, prefix + "-load", tasks.get(0), 1);
        BaseModel base = TrainerService.prepareBase(template, TaskCatalog.load(template.pretrainTask()));
        Topics.ensureCreated(connection, template.topicPartitions());
        Topics topics = Topics.connect(connection);
        Path scratch = template.home().resolve("bench").resolve(prefix + "-load");
        CheckpointStore store = new CheckpointStore(scratch.resolve("checkpoints"));
        List<Trainer> trainers = new ArrayList<>();
        TrainingLoad load = new TrainingLoad(trainers, scratch);
        try {
            for (int i = 0; i < n; i++) {
                String runId = String.format(Locale.ROOT, "%s-load-%d-%s", prefix, i, tasks.get(i));
                TaskData data = TaskCatalog.load(tasks.get(i));
                TrainerConfig config = config(connection, runId, tasks.get(i), i + 1);
                StopSignal stop = new StopSignal();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread thread = new Thread(() -> {
                    try (EventProducer producer = new EventProducer(connection);
                         KafkaTrainingEvents events = new KafkaTrainingEvents(producer, topics)) {
                        ExpertTrainer.builder().setRunId(runId).setTask(data).setBase(base)
                                .setSettings(config.trainingSettings()).setCheckpointStore(store).optStopSignal(stop)
                                .optEvents(events).build().train();
                        events.flush();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "upcycle-bench-load-" + i);
                thread.setDaemon(true);
                trainers.add(new Trainer(runId, tasks.get(i), thread, stop, failure));
                thread.start();
            }
            load.awaitWarm();
            load.mark();
            return load;
        } catch (InterruptedException | RuntimeException | Error e) {
            load.close();
            throw e;
        }
    }

    private void awaitWarm() throws InterruptedException {
        long deadline = System.nanoTime() + WARM_TIMEOUT.toNanos();
        while (trainers.stream().anyMatch(t -> t.stop().stepsDone() < WARM_STEPS)) {
            requireTraining();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the training load did not reach " + WARM_STEPS + " steps per trainer within "
                        + WARM_TIMEOUT.toMinutes() + " min");
            }
            Thread.sleep(100);
        }
    }

    /** Starts counting steps for {@link #stepsPerSecond()} from now. */
    void mark() {
        markNanos = System.nanoTime();
        markSteps = steps();
    }

    /** Steps per second of all trainers together since the last {@link #mark()}. */
    double stepsPerSecond() {
        return (steps() - markSteps) / ((System.nanoTime() - markNanos) / 1e9);
    }

    int trainers() {
        return trainers.size();
    }

    /** Fails, naming the trainer, if one stopped on its own (failed, or ran out of steps). */
    void requireTraining() {
        for (Trainer t : trainers) {
            Throwable failure = t.failure().get();
            if (failure != null) {
                throw new IllegalStateException("load trainer " + t.runId() + " failed: " + failure, failure);
            }
            if (!t.thread().isAlive()) {
                throw new IllegalStateException("load trainer " + t.runId() + " stopped after " + t.stop().stepsDone() + " steps");
            }
        }
    }

    private long steps() {
        return trainers.stream().mapToLong(t -> t.stop().stepsDone()).sum();
    }

    @Override
    public void close() {
        trainers.forEach(t -> t.stop().request("bench load done"));
        for (Trainer t : trainers) {
            try {
                t.thread().join(Duration.ofMinutes(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        FileTrees.deleteQuietly(scratch);
    }

    /** A trainer configuration with the service's defaults for everything the load does not set. */
    private static TrainerConfig config(KafkaConnection connection, String runId, String task, long seed) {
        Map<String, String> values = new java.util.HashMap<>(connection.configValues());
        values.putAll(Map.of("task", task, "run.id", runId, "steps", Long.toString(MAX_STEPS), "seed", Long.toString(seed)));
        return TrainerConfig.from(values);
    }
}
