package io.upcycle.trainer;

import io.upcycle.config.ConfigSpec;
import io.upcycle.config.ConfigValues;
import io.upcycle.config.Validators;
import io.upcycle.model.LoraLayout;
import io.upcycle.files.UpcycleHome;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.RunIds;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.network.BaseSettings;
import io.upcycle.trainer.network.LoraSettings;
import io.upcycle.trainer.optimizer.LearningRateSchedule;
import io.upcycle.trainer.optimizer.OptimizerKind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed configuration of one trainer run. Every key is declared once in {@link #SPEC} with its
 * type, default and rule; {@link #from(Map)} refuses unknown keys and bad values at start-up with
 * an error naming the key. {@code lora} is null unless {@code mode} is LORA.
 */
public record TrainerConfig(String task, String runId, long steps, float learningRate, int batchSize, long seed,
                            long checkpointEvery, boolean checkpointPowersOfTwo, int checkpointsPerOctave, long evalEvery, boolean publish,
                            KafkaConnection connection, int topicPartitions, boolean wallClockEvents,
                            Path home, String pretrainTask, BaseSettings baseSettings, LoraSettings lora,
                            OptimizerKind optimizer, LearningRateSchedule lrSchedule, long fullPassEvery, boolean resume,
                            Map<String, String> labels, String head, boolean trainHead) {

    public static final String TASK = "task";
    public static final String RUN_ID_KEY = "run.id";
    public static final String STEPS = "steps";
    public static final String LR = "lr";
    public static final String BATCH_SIZE = "batch.size";
    public static final String SEED = "seed";
    public static final String CHECKPOINT_EVERY = "checkpoint.every";
    public static final String CHECKPOINT_POWERS = "checkpoint.powers.of.two";
    public static final String CHECKPOINTS_PER_OCTAVE = "checkpoints.per.octave";
    public static final String EVAL_EVERY = "eval.every";
    public static final String PUBLISH = "publish";
    public static final String PARTITIONS = "topic.partitions";
    public static final String EVENT_TIME = "event.time";
    public static final String HOME = "home";
    public static final String PRETRAIN_TASK = "pretrain.task";
    public static final String BASE_EPOCHS = "base.epochs";
    public static final String BASE_LR = "base.lr";
    public static final String BASE_BATCH_SIZE = "base.batch.size";
    public static final String BASE_SEED = "base.seed";
    public static final String MODE = "mode";
    public static final String LORA_RANK = "lora.rank";
    public static final String LORA_ALPHA = "lora.alpha";
    public static final String LORA_TARGETS = "lora.targets";
    public static final String OPTIMIZER = "optimizer";
    public static final String LR_SCHEDULE = "lr.schedule";
    public static final String FULL_PASS_EVERY = "full.pass.every";
    public static final String RESUME = "resume";
    public static final String HEAD = "head";
    public static final String TRAIN_HEAD = "train.head";
    public static final String LABELS = "labels";

    /** Every key of the trainer, in the order {@code --help} lists them. */
    public static final ConfigSpec SPEC = ConfigSpec.of("trainer", KafkaConnection.define(new ConfigDef()
            .define(TASK, ConfigDef.Type.STRING, "fortune-topic-6", new ConfigDef.NonEmptyString(), Importance.HIGH, "Task to fine-tune on."))
            .define(RUN_ID_KEY, ConfigDef.Type.STRING, "", Validators.text(s -> s.isEmpty() || RunIds.isWellFormed(s),
                    "letters, digits, '.', '_' or '-' (up to " + RunIds.MAX_LENGTH + ", starting with a letter or digit)"), Importance.MEDIUM,
                    "Run id (events key, checkpoint folder); empty: <task>-s<seed>-<random>.")
            .define(STEPS, ConfigDef.Type.LONG, 8192L, Range.atLeast(1), Importance.HIGH, "Budget of optimizer steps.")
            .define(LR, ConfigDef.Type.DOUBLE, 1e-3, positive(), Importance.HIGH, "Learning rate (Adam's, constant unless lr.schedule).")
            .define(BATCH_SIZE, ConfigDef.Type.INT, 64, Range.atLeast(1), Importance.MEDIUM, "Examples per step.")
            .define(SEED, ConfigDef.Type.LONG, 1L, Importance.MEDIUM, "Seed of the head and adapter init and of the data order.")
            .define(CHECKPOINT_EVERY, ConfigDef.Type.LONG, 256L, Range.atLeast(0), Importance.LOW, "Also checkpoint every N steps (0: off).")
            .define(CHECKPOINT_POWERS, ConfigDef.Type.BOOLEAN, true, Importance.LOW, "Checkpoint steps 1, 2, 4, 8, ...")
            .define(CHECKPOINTS_PER_OCTAVE, ConfigDef.Type.INT, 8, Validators.number(n -> n.intValue() >= 0 && Integer.bitCount(n.intValue()) <= 1,
                    "0 or a power of two"), Importance.LOW, "Weights-only checkpoints per octave of steps (8: steps 1-15, then"
                    + " 16, 18, ..., 30, 32, 36, ...), so that a stop decision finds one within 1/N of its step; 0: off.")
            .define(EVAL_EVERY, ConfigDef.Type.LONG, 32L, Range.atLeast(0), Importance.MEDIUM, "Validation pass every N steps (0: only at the end).")
            .define(PUBLISH, ConfigDef.Type.BOOLEAN, true, Importance.HIGH, "Publish events to Kafka and obey stop decisions (false: train offline).")
            .define(PARTITIONS, ConfigDef.Type.INT, 1, Range.atLeast(1), Importance.LOW, "Partitions of the topics the trainer creates if missing.")
            .define(EVENT_TIME, ConfigDef.Type.STRING, "step", ConfigDef.ValidString.in("step", "wall"), Importance.LOW,
                    "Record timestamps: step (run start + step ms, deterministic) or wall.")
            .define(HOME, ConfigDef.Type.STRING, "", Importance.LOW, "Upcycle home folder; empty: the system property upcycle.home.")
            .define(PRETRAIN_TASK, ConfigDef.Type.STRING, "fortune-pretrain", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Task the base is pretrained on.")
            .define(BASE_EPOCHS, ConfigDef.Type.INT, 6, Range.atLeast(1), Importance.LOW, "Base pretraining epochs.")
            .define(BASE_LR, ConfigDef.Type.DOUBLE, 1e-3, positive(), Importance.LOW, "Base pretraining learning rate.")
            .define(BASE_BATCH_SIZE, ConfigDef.Type.INT, 64, Range.atLeast(1), Importance.LOW, "Base pretraining batch size.")
            .define(BASE_SEED, ConfigDef.Type.LONG, 0L, Importance.LOW, "Base pretraining seed.")
            .define(MODE, ConfigDef.Type.STRING, "FULL", ConfigDef.CaseInsensitiveValidString.in("FULL", "LORA"), Importance.HIGH,
                    "FULL (all weights) or LORA (adapters on the frozen trunk; try lr 3e-3).")
            .define(LORA_RANK, ConfigDef.Type.INT, 8, Range.atLeast(1), Importance.MEDIUM, "LoRA rank r (mode LORA).")
            .define(LORA_ALPHA, ConfigDef.Type.DOUBLE, 16.0, positive(), Importance.LOW, "LoRA alpha; the update is scaled by alpha/r (mode LORA).")
            .define(LORA_TARGETS, ConfigDef.Type.LIST, "trunk.0,trunk.1", ConfigDef.LambdaValidator.with((name, value) -> {
                List<?> targets = (List<?>) value;
                if (targets.isEmpty() || !LoraLayout.TARGETS.containsAll(targets)) {
                    throw new ConfigException(name, value, "must be a comma-separated subset of " + String.join(",", LoraLayout.TARGETS));
                }
            }, () -> "a subset of " + String.join(",", LoraLayout.TARGETS)), Importance.LOW, "Trunk layers that get adapters (mode LORA).")
            .define(OPTIMIZER, ConfigDef.Type.STRING, "adam", ConfigDef.CaseInsensitiveValidString.in("adam", "sgd"), Importance.LOW,
                    "adam, or sgd (plain, no momentum).")
            .define(LR_SCHEDULE, ConfigDef.Type.STRING, "constant", ConfigDef.CaseInsensitiveValidString.in("constant", "cosine"), Importance.LOW,
                    "constant, or cosine (decays from lr to 0 over the steps budget).")
            .define(FULL_PASS_EVERY, ConfigDef.Type.LONG, 0L, Range.atLeast(0), Importance.LOW,
                    "Publish every example's loss (no-gradient pass over the training split) every N steps (0: off).")
            .define(RESUME, ConfigDef.Type.BOOLEAN, true, Importance.MEDIUM,
                    "A run id the log already knows resumes from its last checkpoint (false: refuse a used run id).")
            .define(HEAD, ConfigDef.Type.STRING, "", Importance.LOW, "Safetensors file whose head.weight [classes, 256] and head.bias [classes]"
                    + " start the head (e.g. a linear probe on the base); empty: a new head seeded from (seed, task).")
            .define(TRAIN_HEAD, ConfigDef.Type.BOOLEAN, true, Importance.LOW, "Train the head (false: frozen; only the trunk or its adapters learn).")
            .define(LABELS, ConfigDef.Type.LIST, "", Validators.eachOf(pair -> pair.indexOf('=') > 0, "key=value"), Importance.LOW,
                    "Labels added to the run's RunStarted hyper-parameters, key=value,... (e.g. study.id=s1)."))
            .withPrefix(KafkaConnection.KAFKA_PREFIX, KafkaConnection.KAFKA_PREFIX_DOC);

    /** The configuration from {@code key -> value} (text or typed); absent keys take their defaults. */
    public static TrainerConfig from(Map<String, ?> values) {
        return from(SPEC.parse(values));
    }

    /** The configuration from parsed values. */
    public static TrainerConfig from(ConfigValues v) {
        String task = v.getString(TASK);
        long seed = v.getLong(SEED);
        String runId = v.getString(RUN_ID_KEY);
        if (runId.isEmpty()) {
            runId = task + "-s" + seed + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        String home = v.getString(HOME);
        KafkaConnection connection = KafkaConnection.from(v);
        LoraSettings lora = v.getString(MODE).equalsIgnoreCase("LORA")
                ? new LoraSettings(v.getInt(LORA_RANK), (float) v.getDouble(LORA_ALPHA).doubleValue(), v.getList(LORA_TARGETS)) : null;
        return new TrainerConfig(task, runId, v.getLong(STEPS), (float) v.getDouble(LR).doubleValue(), v.getInt(BATCH_SIZE), seed,
                v.getLong(CHECKPOINT_EVERY), v.getBoolean(CHECKPOINT_POWERS), v.getInt(CHECKPOINTS_PER_OCTAVE), v.getLong(EVAL_EVERY),
                v.getBoolean(PUBLISH), connection, v.getInt(PARTITIONS),
                v.getString(EVENT_TIME).equals("wall"),
                home.isEmpty() ? UpcycleHome.resolve() : Path.of(home).toAbsolutePath().normalize(), v.getString(PRETRAIN_TASK),
                new BaseSettings(v.getInt(BASE_EPOCHS), (float) v.getDouble(BASE_LR).doubleValue(), v.getInt(BASE_BATCH_SIZE),
                        v.getLong(BASE_SEED)),
                lora, OptimizerKind.parse(v.getString(OPTIMIZER)), LearningRateSchedule.parse(v.getString(LR_SCHEDULE)),
                v.getLong(FULL_PASS_EVERY), v.getBoolean(RESUME), labels(v.getList(LABELS)), v.getString(HEAD), v.getBoolean(TRAIN_HEAD));
    }

    private static ConfigDef.Validator positive() {
        return Validators.number(n -> n.doubleValue() > 0 && Double.isFinite(n.doubleValue()) && n.floatValue() > 0, "a positive number");
    }

    private static Map<String, String> labels(List<String> pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            labels.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return Map.copyOf(labels);
    }

    /** The expert training settings of this configuration. */
    public TrainingSettings trainingSettings() {
        return new TrainingSettings(steps, learningRate, batchSize, seed, evalEvery,
                new CheckpointSchedule(checkpointPowersOfTwo, checkpointEvery, checkpointsPerOctave), optimizer, lrSchedule, fullPassEvery);
    }
}
