package io.upcycle.trainer;

import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.checkpoint.CheckpointWriter;
import io.upcycle.trainer.checkpoint.ResumePlan;
import io.upcycle.trainer.events.RunRecords;
import io.upcycle.trainer.checkpoint.TrainingState;
import io.upcycle.trainer.control.LearningRateControl;
import io.upcycle.trainer.control.StopSignal;
import io.upcycle.trainer.events.EventClock;
import io.upcycle.trainer.events.TrainingEvents;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.network.ExpertInit;
import io.upcycle.trainer.network.ExpertNetwork;
import io.upcycle.trainer.network.InputStandardization;
import io.upcycle.trainer.network.LoraSettings;
import io.upcycle.trainer.network.NetworkWeights;
import io.upcycle.trainer.optimizer.ResumableOptimizer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes one expert: the base's trunk plus a new head seeded from (seed, task) ({@link ExpertInit}), all weights trained with Adam
 * (or, with {@link Builder#optLora}, a LoRA adapter on the frozen trunk plus the head) on one task,
 * streaming every step's metrics and per-example losses to {@link TrainingEvents},
 * checkpointing on a {@link CheckpointSchedule}, and obeying a {@link StopSignal} before every step.
 *
 * <p>Built with {@link #builder()}: {@code setX} for what is required, {@code optX} for the rest.
 */
public final class ExpertTrainer {
    /** Hyper-parameter and checkpoint-metadata key: where the head started ({@link StartHead#source()} or new). */
    public static final String HEAD_SOURCE = "head.source";
    /** Hyper-parameter and checkpoint-metadata key: whether the head was trained ({@code false}: frozen). */
    public static final String HEAD_TRAINED = "head.trained";
    /** Steps between two progress lines in the log. */
    private static final long PROGRESS_EVERY = 128;

    private static final Logger LOG = LoggerFactory.getLogger(ExpertTrainer.class);

    private final String runId;
    private final TaskData task;
    private final BaseModel base;
    private final TrainingSettings settings;
    private final CheckpointStore store;
    private final TrainingEvents events;
    private final StopSignal stop;
    private final EventClock clock;
    private final LoraSettings lora;
    private final Map<String, String> labels;
    private final ResumePlan resume;
    private final LearningRateControl rates;
    private final StartHead startHead;
    private final boolean trainHead;

    private ExpertTrainer(Builder builder) {
        this.runId = Objects.requireNonNull(builder.runId, "runId");
        this.task = Objects.requireNonNull(builder.task, "task");
        this.base = Objects.requireNonNull(builder.base, "base");
        this.settings = Objects.requireNonNull(builder.settings, "settings");
        this.store = Objects.requireNonNull(builder.store, "checkpoint store");
        this.resume = builder.resume;
        this.events = resume.filter(builder.events);
        this.stop = builder.stop;
        this.clock = builder.clock != null ? builder.clock : EventClock.stepped(System.currentTimeMillis());
        this.lora = builder.lora;
        this.labels = Map.copyOf(builder.labels);
        this.rates = builder.rates != null ? builder.rates
                : new LearningRateControl(settings.learningRate(), settings.schedule(), settings.steps());
        this.startHead = builder.startHead;
        this.trainHead = builder.trainHead;
    }

    /**
     * A head to start from instead of a new one (e.g. a linear probe fitted on the base), and what
     * the run records of where it came from.
     *
     * @param weight {@code [classes, hidden]}
     * @param bias {@code [classes]}
     * @param source e.g. the file and its sha256
     */
    public record StartHead(Tensor weight, Tensor bias, String source) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs until the budget is spent or a stop is requested; publishes RunEnded(FAILED) and rethrows on error. */
    public TrainingResult train() {
        RunRecords records = new RunRecords(runId);
        int classes = task.classNames().size();
        long initSeed = ExpertInit.seed(settings.seed(), task.task());
        NetworkWeights start = startHead == null ? base.weights().withNewHead(classes, initSeed)
                : base.weights().withHead(startHead.weight(), startHead.bias());
        if (start.classes() != classes) {
            throw new IllegalArgumentException("the start head of run " + runId + " (" + startHead.source() + ") has "
                    + start.classes() + " outputs but task " + task.task() + " has " + classes + " classes");
        }
        InputStandardization input = start.standardization();
        float[] train = input.apply(task.train().features());
        int[] labels = task.train().labels();
        Map<String, String> metadata = Map.of("upcycle.task", task.task(), CheckpointMetadata.BASE_SHA256, base.sha256(),
                CheckpointMetadata.BASE_ID, base.id(),
                "upcycle.seed", Long.toString(settings.seed()), "upcycle.mode", lora == null ? "FULL" : "LORA",
                "upcycle." + ExpertInit.SEED_KEY, Long.toString(initSeed), "upcycle." + ExpertInit.RULE_KEY, ExpertInit.RULE,
                "upcycle." + HEAD_SOURCE, headSource(), "upcycle." + HEAD_TRAINED, Boolean.toString(trainHead));
        long step = 0;
        RunStarted started = records.started(task, base, settings);
        started.getHyperParameters().put(ExpertInit.SEED_KEY, Long.toString(initSeed));
        started.getHyperParameters().put(ExpertInit.RULE_KEY, ExpertInit.RULE);
        started.getHyperParameters().put(HEAD_SOURCE, headSource());
        started.getHyperParameters().put(HEAD_TRAINED, Boolean.toString(trainHead));
        started.getHyperParameters().putAll(this.labels);
        started.setResumedFromStep(resume.resumedFromStep());
        events.onRunStarted(lora == null ? started : lora.describe(started), clock.at(resume.resumed() ? resume.resumedFromStep() : 0));
        // The monitor refuses losses of a run it has not seen start: make the start durable first.
        events.flush();
        ResumableOptimizer optimizer = settings.optimizer().create(settings.learningRate());
        try (ExpertNetwork network = ExpertNetwork.load(start, lora, initSeed, trainHead);
                StepRunner runner = new StepRunner(network, optimizer);
                CheckpointWriter writer = new CheckpointWriter(store, runId, metadata, events, clock)) {
            float[] validation = input.apply(task.validation().features());
            EpochSampler sampler = new EpochSampler(task.train().size(), settings.batchSize(), settings.seed());
            step = resume.restore(network, optimizer, sampler);
            long compute = 0;
            long publish = 0;
            long evaluate = 0;
            long export = 0;
            long examples = 0;
            float lastLoss = Float.NaN;
            long loopStart = System.nanoTime();
            // Steps the log already holds are recomputed even when a stop is pending: a stop ends after them.
            while (step < settings.steps() && (resume.replaying(step + 1) || !stop.requested())) {
                events.requireHealthy();
                EpochSampler.Batch batch = sampler.next();
                float rate = resume.learningRate(step + 1, rates.rateAt(step + 1));
                optimizer.setLearningRate(rate);
                long t0 = System.nanoTime();
                StepRunner.StepOutcome outcome = runner.step(train, labels, batch.exampleIds());
                long t1 = System.nanoTime();
                step++;
                stop.stepDone(step);
                examples += batch.exampleIds().length;
                lastLoss = outcome.statistics().meanLoss();
                requireFinite(step, lastLoss, outcome.gradientNorm());
                if (!resume.matchesLog(step, lastLoss)) {
                    LOG.warn("run {}: recomputed step {} has batch loss {}, the log has another: replay is not bit-exact",
                            runId, step, lastLoss);
                }
                Evaluation.Score eval = null;
                if (settings.evalEvery() > 0 && step % settings.evalEvery() == 0) {
                    eval = Evaluation.of(network, validation, task.validation().labels());
                }
                if (step % PROGRESS_EVERY == 0) {
                    LOG.info("run {} ({}): step {}/{}, batch loss {}{}", runId, task.task(), step, settings.steps(),
                            String.format(Locale.ROOT, "%.4f", lastLoss),
                            eval == null ? "" : String.format(Locale.ROOT, ", validation accuracy %.4f", eval.accuracy()));
                }
                // CheckpointSaved of an earlier step goes out before this step's events, so a replay sees what consumers saw live.
                long waited = writer.awaitWritten();
                long t2 = System.nanoTime();
                events.onStep(records.step(step, batch.epoch(), outcome.statistics(), rate,
                        (float) outcome.gradientNorm(), eval), records.losses(step, batch.exampleIds(), outcome.statistics()),
                        clock.at(step));
                stop.published(step);
                if (settings.fullPassEvery() > 0 && step % settings.fullPassEvery() == 0 && !resume.fullPassLogged(step)) {
                    events.onExampleLosses(FullPass.of(records, step, network, train, labels), clock.at(step));
                }
                long t3 = System.nanoTime();
                if ((settings.checkpoints().contains(step) || step == settings.steps()) && !resume.checkpointLogged(step)) {
                    // merge-grid checkpoints hold weights only; the resume grid and the last step hold the training state too
                    boolean state = settings.checkpoints().savesState(step) || step == settings.steps();
                    writer.submit(step, network.checkpoint(base.sha256()),
                            state ? TrainingState.capture(step, sampler, rates.base(), network, optimizer) : null);
                }
                compute += t1 - t0;
                evaluate += t2 - t1 - waited;
                publish += t3 - t2;
                export += System.nanoTime() - t3 + waited;
            }
            long loopEnd = System.nanoTime();
            long loopNanos = loopEnd - loopStart;
            if (writer.lastStep() != step && !resume.checkpointLogged(step)) {
                writer.submit(step, network.checkpoint(base.sha256()),
                        TrainingState.capture(step, sampler, rates.base(), network, optimizer));
            }
            StoredCheckpoint last = writer.awaitAll();
            if (writer.lastStep() != step) {
                // The earlier attempt of a resumed run already wrote and announced it.
                last = CheckpointStore.describe(store.root().resolve(runId).resolve("step-" + step + ".safetensors"));
            }
            Evaluation.Score finalScore = Evaluation.of(network, validation, task.validation().labels());
            // The last update is in no logged loss: a weight it made non-finite shows here first.
            if (finalScore.examples() > 0) {
                requireFinite(step, (float) finalScore.loss(), 0f);
            }
            double validationAccuracy = finalScore.accuracy();
            double testAccuracy = Evaluation.of(network, input.apply(task.test().features()), task.test().labels()).accuracy();
            EndReason reason = stop.requested() ? EndReason.STOPPED : EndReason.BUDGET_EXHAUSTED;
            String decision = stop.decisionId().filter(id -> !id.isEmpty()).orElse(null);
            RunEnded ended = records.ended(step, reason, decision, null);
            if (reason == EndReason.STOPPED) {
                stop.decidedAtStep().ifPresent(ended::setStopDecidedAtStep);
                stop.latencyMillis(loopEnd).ifPresent(ended::setStopLatencyMs);
            }
            // Stamped just after the last step, so that the final checkpoint strictly precedes it.
            events.onRunEnded(ended, clock.at(step + 1));
            TrainingTimings timings = new TrainingTimings(step, examples, loopNanos, compute, publish, evaluate, export);
            LOG.info("run {} ({}) ended after {} steps: {}; test accuracy {}; {} ms/step, {} per-example losses/s",
                    runId, task.task(), step, reason, String.format("%.4f", testAccuracy),
                    String.format("%.3f", timings.msPerStep()), String.format("%.0f", timings.examplesPerSecond()));
            return new TrainingResult(runId, task.task(), step, reason, decision, stop.requestedAfterStep(), last, lastLoss,
                    validationAccuracy, testAccuracy, timings);
        } catch (RuntimeException e) {
            events.onRunEnded(records.ended(step, EndReason.FAILED, null, String.valueOf(e.getMessage())), clock.at(step + 1));
            throw e;
        }
    }

    private String headSource() {
        return startHead == null ? "new, seeded by " + ExpertInit.SEED_KEY : startHead.source();
    }

    /**
     * Refuses to go on once a loss or gradient norm is NaN or infinite: every later step would be
     * garbage, and a checkpoint of it would poison a merge. The run then ends FAILED with this message.
     */
    private void requireFinite(long step, float loss, double gradientNorm) {
        if (!Float.isFinite(loss) || !Double.isFinite(gradientNorm)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "run %s diverged at step %d: loss %s, gradient norm %s; lower the learning rate (it is %s)",
                    runId, step, loss, gradientNorm, settings.learningRate()));
        }
    }

    /** Builder: required {@code setX}, optional {@code optX}. */
    public static final class Builder {
        private String runId;
        private TaskData task;
        private BaseModel base;
        private TrainingSettings settings;
        private CheckpointStore store;
        private TrainingEvents events = TrainingEvents.NONE;
        private StopSignal stop = new StopSignal();
        private EventClock clock;
        private LoraSettings lora;
        private Map<String, String> labels = Map.of();
        private ResumePlan resume = ResumePlan.fresh();
        private LearningRateControl rates;
        private StartHead startHead;
        private boolean trainHead = true;

        private Builder() {
        }

        public Builder setRunId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder setTask(TaskData task) {
            this.task = task;
            return this;
        }

        public Builder setBase(BaseModel base) {
            this.base = base;
            return this;
        }

        public Builder setSettings(TrainingSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder setCheckpointStore(CheckpointStore store) {
            this.store = store;
            return this;
        }

        /** Where events go; default {@link TrainingEvents#NONE}. The trainer does not close them. */
        public Builder optEvents(TrainingEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The stop request the loop checks before every step; default one nobody raises. */
        public Builder optStopSignal(StopSignal stop) {
            this.stop = Objects.requireNonNull(stop, "stop");
            return this;
        }

        /** Event time of the records; default {@link EventClock#stepped} from the current time. */
        public Builder optClock(EventClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Fine-tune a LoRA adapter on the frozen base trunk instead of all weights; default null (full). */
        public Builder optLora(LoraSettings lora) {
            this.lora = lora;
            return this;
        }

        /** Where the run (re)starts and what the log already holds; default a new run. */
        Builder optResume(ResumePlan resume) {
            this.resume = Objects.requireNonNull(resume, "resume");
            return this;
        }

        /** Labels added to the run's RunStarted hyper-parameters; default none. */
        public Builder optLabels(Map<String, String> labels) {
            this.labels = Objects.requireNonNull(labels, "labels");
            return this;
        }

        /** The learning rate, shared with a command watcher; default the settings' rate and schedule, no commands. */
        public Builder optLearningRates(LearningRateControl rates) {
            this.rates = Objects.requireNonNull(rates, "rates");
            return this;
        }

        /** The head to start from; default null: a new head seeded from (seed, task) ({@link ExpertInit}). */
        public Builder optStartHead(StartHead head) {
            this.startHead = head;
            return this;
        }

        /** Whether the head trains; default true. False freezes it: only the trunk (or its adapters) learns. */
        public Builder optTrainHead(boolean train) {
            this.trainHead = train;
            return this;
        }

        public ExpertTrainer build() {
            return new ExpertTrainer(this);
        }
    }
}
