package io.upcycle.trainer;

import io.upcycle.model.LoraLayout;
import io.upcycle.model.UpcycleHome;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Typed configuration of one trainer run. Every key is declared once in {@link #KEYS} with its
 * default and rule; {@link #from(Map)} rejects unknown keys and bad values at start-up with an
 * error naming the key. Keys are kebab-case ({@code batch-size}); camelCase ({@code batchSize})
 * is accepted too. {@code lora} is null unless {@code mode} is LORA.
 */
public record TrainerConfig(String task, String runId, long steps, float learningRate, int batchSize, long seed,
                            long checkpointEvery, boolean checkpointPowersOfTwo, int checkpointsPerOctave, long evalEvery, boolean publish,
                            String bootstrapServers, String registryUrl, int topicPartitions, boolean wallClockEvents,
                            Path home, String pretrainTask, BaseSettings baseSettings, LoraSettings lora,
                            OptimizerKind optimizer, LearningRateSchedule lrSchedule, long fullPassEvery, boolean resume,
                            Map<String, String> labels, String head, boolean trainHead) {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    public static final ConfigKey<String> TASK = ConfigKey.text("task", "task to fine-tune on", "fortune-topic-6",
            s -> !s.isBlank(), "a task name");
    public static final ConfigKey<String> RUN_ID_KEY = ConfigKey.text("run-id", "run id (events key, checkpoint folder); "
            + "empty: <task>-s<seed>-<random>", "", s -> s.isEmpty() || RUN_ID.matcher(s).matches(),
            "letters, digits, '.', '_' or '-' (up to 200, starting with a letter or digit)");
    public static final ConfigKey<Long> STEPS = ConfigKey.longKey("steps", "budget of optimizer steps", 8192, 1);
    public static final ConfigKey<Float> LR = ConfigKey.positiveFloat("lr", "Adam's constant learning rate", 1e-3f);
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batch-size", "examples per step", 64, 1);
    public static final ConfigKey<Long> SEED = ConfigKey.longKey("seed", "seed of the head init and data order", 1, Long.MIN_VALUE);
    public static final ConfigKey<Long> CHECKPOINT_EVERY = ConfigKey.longKey("checkpoint-every",
            "also checkpoint every N steps (0: off)", 256, 0);
    public static final ConfigKey<Boolean> CHECKPOINT_POWERS = ConfigKey.flag("checkpoint-powers-of-two",
            "checkpoint steps 1, 2, 4, 8, ...", true);
    public static final ConfigKey<Integer> CHECKPOINTS_PER_OCTAVE = new ConfigKey<>("checkpoints-per-octave",
            "weights-only checkpoints per octave of steps (8: steps 1-15, then 16, 18, ..., 30, 32, 36, ...), so that a"
                    + " stop decision finds one within 1/N of its step; a power of two, 0: off", "8", Integer::parseInt,
            n -> n >= 0 && Integer.bitCount(n) <= 1, "0 or a power of two");
    public static final ConfigKey<Long> EVAL_EVERY = ConfigKey.longKey("eval-every",
            "validation pass every N steps (0: only at the end)", 32, 0);
    public static final ConfigKey<Boolean> PUBLISH = ConfigKey.flag("publish",
            "publish events to Kafka and obey stop decisions (false: train offline)", true);
    public static final ConfigKey<String> BOOTSTRAP = ConfigKey.text("bootstrap-servers", "Kafka bootstrap servers",
            "127.0.0.1:9092", s -> !s.isBlank(), "host:port[,host:port]");
    public static final ConfigKey<String> REGISTRY = ConfigKey.text("registry-url",
            "Confluent-compatible schema registry API", "http://127.0.0.1:8081/apis/ccompat/v7",
            s -> s.startsWith("http://") || s.startsWith("https://"), "an http(s) URL");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.intKey("topic-partitions",
            "partitions of topics the trainer creates if missing", 1, 1);
    public static final ConfigKey<String> EVENT_TIME = ConfigKey.text("event-time",
            "record timestamps: 'step' (run start + step ms, deterministic) or 'wall'", "step",
            s -> s.equals("step") || s.equals("wall"), "'step' or 'wall'");
    public static final ConfigKey<String> HOME = ConfigKey.text("home", "upcycle home (default: system property upcycle.home)",
            "", s -> true, "a folder");
    public static final ConfigKey<String> PRETRAIN_TASK = ConfigKey.text("pretrain-task", "task the base is pretrained on",
            "fortune-pretrain", s -> !s.isBlank(), "a task name");
    public static final ConfigKey<Integer> BASE_EPOCHS = ConfigKey.intKey("base-epochs", "base pretraining epochs", 6, 1);
    public static final ConfigKey<Float> BASE_LR = ConfigKey.positiveFloat("base-lr", "base pretraining learning rate", 1e-3f);
    public static final ConfigKey<Integer> BASE_BATCH_SIZE = ConfigKey.intKey("base-batch-size", "base pretraining batch", 64, 1);
    public static final ConfigKey<Long> BASE_SEED = ConfigKey.longKey("base-seed", "base pretraining seed", 0, Long.MIN_VALUE);
    public static final ConfigKey<String> MODE = ConfigKey.text("mode", "FULL (all weights) or LORA (adapter on the frozen "
            + "trunk; try --lr 3e-3)", "FULL", s -> s.equalsIgnoreCase("FULL") || s.equalsIgnoreCase("LORA"), "FULL or LORA");
    public static final ConfigKey<Integer> LORA_RANK = ConfigKey.intKey("lora-rank", "LoRA rank r (mode LORA)", 8, 1);
    public static final ConfigKey<Float> LORA_ALPHA = ConfigKey.positiveFloat("lora-alpha",
            "LoRA alpha; the update is scaled by alpha/r (mode LORA)", 16f);
    public static final ConfigKey<String> LORA_TARGETS = ConfigKey.text("lora-targets",
            "comma-separated trunk layers that get adapters (mode LORA)", "trunk.0,trunk.1",
            s -> !s.isBlank() && Arrays.stream(s.split(",")).map(String::trim).allMatch(LoraLayout.TARGETS::contains),
            "a comma-separated subset of " + String.join(",", LoraLayout.TARGETS));

    public static final ConfigKey<OptimizerKind> OPTIMIZER = new ConfigKey<>("optimizer", "adam or sgd (plain, no momentum)",
            "adam", OptimizerKind::parse, v -> true, "adam or sgd");
    public static final ConfigKey<LearningRateSchedule> LR_SCHEDULE = new ConfigKey<>("lr-schedule",
            "constant, or cosine (decays from lr to 0 over the steps budget)", "constant", LearningRateSchedule::parse,
            v -> true, "constant or cosine");
    public static final ConfigKey<Long> FULL_PASS_EVERY = ConfigKey.longKey("full-pass-every",
            "publish every example's loss (no-gradient pass over the training split) every N steps (0: off)", 0, 0);
    public static final ConfigKey<Boolean> RESUME = ConfigKey.flag("resume",
            "a run id the log already knows resumes from its last checkpoint (false: refuse a used run id)", true);

    public static final ConfigKey<String> HEAD = ConfigKey.text("head", "safetensors file whose head.weight [classes, 256] and"
            + " head.bias [classes] start the head (e.g. a linear probe on the base); empty: a new head seeded from (seed, task)",
            "", s -> true, "a file path");
    public static final ConfigKey<Boolean> TRAIN_HEAD = ConfigKey.flag("train-head",
            "train the head (false: frozen, only the trunk or its LoRA adapters learn)", true);

    public static final ConfigKey<Map<String, String>> LABELS = new ConfigKey<>("labels",
            "comma-separated key=value labels added to the run's RunStarted hyper-parameters (e.g. study.id=s1)", "",
            TrainerConfig::parseLabels, v -> true, "comma-separated key=value pairs");

    /** Every key, in the order {@code --help} lists them. */
    public static final List<ConfigKey<?>> KEYS = List.of(TASK, RUN_ID_KEY, STEPS, LR, BATCH_SIZE, SEED, CHECKPOINT_EVERY,
            CHECKPOINT_POWERS, CHECKPOINTS_PER_OCTAVE, EVAL_EVERY, PUBLISH, BOOTSTRAP, REGISTRY, PARTITIONS, EVENT_TIME, HOME, PRETRAIN_TASK,
            BASE_EPOCHS, BASE_LR, BASE_BATCH_SIZE, BASE_SEED, MODE, LORA_RANK, LORA_ALPHA, LORA_TARGETS,
            OPTIMIZER, LR_SCHEDULE, FULL_PASS_EVERY, RESUME, LABELS, HEAD, TRAIN_HEAD);

    /** The configuration from {@code key -> value} text; absent keys take their defaults. */
    public static TrainerConfig from(Map<String, String> values) {
        Map<String, String> given = new HashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = kebab(entry.getKey());
            if (KEYS.stream().noneMatch(k -> k.name().equals(key))) {
                throw new IllegalArgumentException("unknown config key '" + entry.getKey() + "'; known keys: "
                        + String.join(", ", KEYS.stream().map(ConfigKey::name).toList()));
            }
            given.put(key, entry.getValue());
        }
        String task = TASK.read(given.get(TASK.name()));
        long seed = SEED.read(given.get(SEED.name()));
        String runId = RUN_ID_KEY.read(given.get(RUN_ID_KEY.name()));
        if (runId.isEmpty()) {
            runId = task + "-s" + seed + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        String home = HOME.read(given.get(HOME.name()));
        return new TrainerConfig(task, runId, STEPS.read(given.get(STEPS.name())), LR.read(given.get(LR.name())),
                BATCH_SIZE.read(given.get(BATCH_SIZE.name())), seed, CHECKPOINT_EVERY.read(given.get(CHECKPOINT_EVERY.name())),
                CHECKPOINT_POWERS.read(given.get(CHECKPOINT_POWERS.name())),
                CHECKPOINTS_PER_OCTAVE.read(given.get(CHECKPOINTS_PER_OCTAVE.name())), EVAL_EVERY.read(given.get(EVAL_EVERY.name())),
                PUBLISH.read(given.get(PUBLISH.name())), BOOTSTRAP.read(given.get(BOOTSTRAP.name())),
                REGISTRY.read(given.get(REGISTRY.name())), PARTITIONS.read(given.get(PARTITIONS.name())),
                EVENT_TIME.read(given.get(EVENT_TIME.name())).equals("wall"),
                home.isEmpty() ? UpcycleHome.resolve() : Path.of(home).toAbsolutePath().normalize(),
                PRETRAIN_TASK.read(given.get(PRETRAIN_TASK.name())),
                new BaseSettings(BASE_EPOCHS.read(given.get(BASE_EPOCHS.name())), BASE_LR.read(given.get(BASE_LR.name())),
                        BASE_BATCH_SIZE.read(given.get(BASE_BATCH_SIZE.name())), BASE_SEED.read(given.get(BASE_SEED.name()))),
                lora(given), OPTIMIZER.read(given.get(OPTIMIZER.name())), LR_SCHEDULE.read(given.get(LR_SCHEDULE.name())),
                FULL_PASS_EVERY.read(given.get(FULL_PASS_EVERY.name())), RESUME.read(given.get(RESUME.name())),
                LABELS.read(given.get(LABELS.name())), HEAD.read(given.get(HEAD.name())), TRAIN_HEAD.read(given.get(TRAIN_HEAD.name())));
    }

    private static Map<String, String> parseLabels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("not key=value: " + pair);
            }
            labels.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return Map.copyOf(labels);
    }

    /** The LoRA settings when {@code mode} is LORA, else null. */
    private static LoraSettings lora(Map<String, String> given) {
        int rank = LORA_RANK.read(given.get(LORA_RANK.name()));
        float alpha = LORA_ALPHA.read(given.get(LORA_ALPHA.name()));
        List<String> targets = Arrays.stream(LORA_TARGETS.read(given.get(LORA_TARGETS.name())).split(","))
                .map(String::trim).toList();
        return MODE.read(given.get(MODE.name())).equalsIgnoreCase("LORA") ? new LoraSettings(rank, alpha, targets) : null;
    }

    /** The configuration from {@code --key value} arguments (also {@code --key=value}). */
    public static TrainerConfig fromArgs(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --key value, got '" + arg + "'");
            }
            String body = arg.substring(2);
            int equals = body.indexOf('=');
            if (equals >= 0) {
                values.put(body.substring(0, equals), body.substring(equals + 1));
            } else if (i + 1 < args.length) {
                values.put(body, args[++i]);
            } else {
                throw new IllegalArgumentException("config key '" + body + "' has no value");
            }
        }
        return from(values);
    }

    /** The expert training settings of this configuration. */
    public TrainingSettings trainingSettings() {
        return new TrainingSettings(steps, learningRate, batchSize, seed, evalEvery,
                new CheckpointSchedule(checkpointPowersOfTwo, checkpointEvery, checkpointsPerOctave), optimizer, lrSchedule, fullPassEvery);
    }

    /** One line per key: name, default and what it does. */
    public static String help() {
        StringBuilder text = new StringBuilder();
        for (ConfigKey<?> key : KEYS) {
            text.append(String.format(Locale.ROOT, "  --%-26s %s (default: %s)%n", key.name(), key.doc(),
                    key.defaultValue().isEmpty() ? "none" : key.defaultValue()));
        }
        return text.toString();
    }

    private static String kebab(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
