package io.upcycle.trainer;

import io.upcycle.config.ConfigSpec;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.files.Sha256;
import io.upcycle.model.tasks.TaskCatalog;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.trainer.checkpoint.ResumePlan;
import io.upcycle.trainer.checkpoint.RunHistory;
import io.upcycle.trainer.checkpoint.RunHistoryReader;
import io.upcycle.trainer.control.CommandWatcher;
import io.upcycle.trainer.control.LearningRateControl;
import io.upcycle.trainer.control.StopDecisionWatcher;
import io.upcycle.trainer.control.StopSignal;
import io.upcycle.trainer.events.EventClock;
import io.upcycle.trainer.events.KafkaTrainingEvents;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.network.BasePretrainer;
import io.upcycle.trainer.network.PyTorchRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer as a service: loads the task and the base (pretraining it on first use), connects
 * to Kafka when publishing (events out, stop decisions in), fine-tunes one expert and returns a
 * {@link TrainingResult}. {@link TrainCommand} is {@code upcycle train --task X [--key value ...]}.
 */
public final class TrainerService {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    private TrainerService() {
    }

    /** Runs with the task and pretraining data from {@link TaskCatalog} (fetched and embedded on first use). */
    public static TrainingResult run(TrainerConfig config) {
        TaskData pretrain = TaskCatalog.load(config.pretrainTask());
        TaskData task = TaskCatalog.load(config.task());
        return run(config, task, pretrain);
    }

    /** Runs on the given data: {@code task} to fine-tune, {@code pretrain} for the base. */
    public static TrainingResult run(TrainerConfig config, TaskData task, TaskData pretrain) {
        return run(config, task, prepareBase(config, pretrain));
    }

    /**
     * The pretrained base of {@code config}: read from the cache, or pretrained on {@code pretrain}
     * and cached. Call it once before starting several experts, so that they do not race to pretrain.
     */
    public static BaseModel prepareBase(TrainerConfig config, TaskData pretrain) {
        PyTorchRuntime.engine(config.home());
        BaseModel base = new BasePretrainer(config.baseSettings(), CheckpointStore.baseCache(config.home()))
                .obtain(pretrain);
        LOG.info("base {} (sha256 {}): validation accuracy {}, pretrained in {} ms{}", base.id(), base.sha256(),
                String.format(Locale.ROOT, "%.4f", base.validationAccuracy()), base.trainMillis(),
                base.reused() ? " (cached)" : "");
        return base;
    }

    /** Runs from a given base. */
    public static TrainingResult run(TrainerConfig config, TaskData task, BaseModel base) {
        PyTorchRuntime.engine(config.home());
        CheckpointStore store = new CheckpointStore(config.home().resolve("checkpoints"));
        store.requireWritable(config.runId()); // before the run is announced: a store that cannot take checkpoints fails it now
        StopSignal stop = new StopSignal();
        EventClock clock = config.wallClockEvents() ? EventClock.wall() : EventClock.stepped(System.currentTimeMillis());
        ExpertTrainer.Builder trainer = ExpertTrainer.builder()
                .setRunId(config.runId())
                .setTask(task)
                .setBase(base)
                .setSettings(config.trainingSettings())
                .setCheckpointStore(store)
                .optLora(config.lora())
                .optStartHead(startHead(config))
                .optTrainHead(config.trainHead())
                .optLabels(config.labels())
                .optStopSignal(stop)
                .optClock(clock);
        if (!config.publish()) {
            return trainer.build().train();
        }
        KafkaConnection connection = config.connection();
        Topics.ensureCreated(connection, config.topicPartitions());
        Topics topics = Topics.connect(connection);
        ResumePlan plan = plan(config, connection, topics, store);
        if (plan.resumed() && !config.wallClockEvents()) {
            // A resumed run keeps its event-time origin, so every step is stamped as the first attempt would have.
            trainer.optClock(EventClock.stepped(plan.history().startTimestamp()));
        }
        LearningRateControl rates = new LearningRateControl(config.learningRate(), config.lrSchedule(), config.steps());
        try (EventProducer producer = new EventProducer(connection);
                KafkaTrainingEvents events = new KafkaTrainingEvents(producer, topics);
                StopDecisionWatcher watcher = StopDecisionWatcher.start(connection, topics.stopDecisions(), config.runId(), stop);
                CommandWatcher commands = CommandWatcher.start(connection, topics.commands(), config.runId(), rates)) {
            TrainingResult result = trainer.optEvents(events).optResume(plan).optLearningRates(rates).build().train();
            events.flush();
            return result;
        }
    }

    /** The head named by config key {@code head}, read from its file; null when none is named. */
    static ExpertTrainer.StartHead startHead(TrainerConfig config) {
        if (config.head().isEmpty()) {
            return null;
        }
        Path file = Path.of(config.head()).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw ConfigSpec.invalid(TrainerConfig.HEAD, config.head(), "no file " + file);
        }
        try (SafetensorsFile heads = Safetensors.open(file)) {
            for (String name : List.of(ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS)) {
                if (!heads.contains(name)) {
                    throw ConfigSpec.invalid(TrainerConfig.HEAD, config.head(), file + " holds no tensor '" + name + "'");
                }
            }
            return new ExpertTrainer.StartHead(heads.read(ExpertLayout.HEAD_WEIGHT), heads.read(ExpertLayout.HEAD_BIAS),
                    file + " (sha256 " + Sha256.of(file) + ")");
        }
    }

    /** What the log and the store say about the run id: a new run, or where to resume it. */
    private static ResumePlan plan(TrainerConfig config, KafkaConnection connection, Topics topics, CheckpointStore store) {
        RunHistory history;
        try (RunHistoryReader reader = new RunHistoryReader(connection, topics, config.runId())) {
            history = reader.read();
        }
        if (history.started() && !config.resume()) {
            throw new IllegalStateException("run '" + config.runId() + "' is already in the log and key resume is "
                    + "false; choose another run id");
        }
        ResumePlan plan = ResumePlan.of(history, store, config.runId());
        if (plan.resumed()) {
            LOG.info("run {} resumes: the log holds steps through {} (losses {}, metrics {}); continuing from step {}",
                    config.runId(), history.publishedThrough(), history.lastLossesStep(), history.lastMetricsStep(),
                    plan.state() == null ? 0 : plan.state().step());
        }
        return plan;
    }
}
