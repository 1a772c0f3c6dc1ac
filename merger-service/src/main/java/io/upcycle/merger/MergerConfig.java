package io.upcycle.merger;

import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.method.TrimScope;
import io.upcycle.merger.moe.MoeOptions;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Typed configuration of the merger, validated when it is built: a bad or missing value fails at
 * start-up with an error naming its key, and an unknown {@code merger.*} key (a typo) is refused.
 * The configured plan is optional ({@code merger.plan.id} unset: plans come only from
 * {@code upcycle.merge-plans}); once {@code merger.plan.id} is set, its runs and base are required.
 */
public record MergerConfig(KafkaConnection connection, String groupId, Optional<PlanSpec> plan, MergeOptions options,
                           Path checkpointRoot, Duration waitFor) {
    public static final ConfigKey BOOTSTRAP = new ConfigKey(KafkaConnection.BOOTSTRAP_SERVERS, null, "Kafka bootstrap servers, host:port[,...]");
    public static final ConfigKey REGISTRY = new ConfigKey(KafkaConnection.REGISTRY_URL, null, "Confluent-compatible schema registry base URL");
    public static final ConfigKey GROUP_ID = new ConfigKey("merger.group.id", "upcycle-merger", "consumer group of the plan and stop-decision consumer (it commits no offsets)");
    public static final ConfigKey PLAN_ID = new ConfigKey("merger.plan.id", "",
            "name of the configured merge plan (letters, digits, '.', '_', '-'); empty: plans only from upcycle.merge-plans");
    public static final ConfigKey PLAN_RUNS = new ConfigKey("merger.plan.runs", "", "comma-separated run ids to merge (required with merger.plan.id)");
    public static final ConfigKey PLAN_METHOD = new ConfigKey("merger.plan.method", "task_arithmetic", "average, task_arithmetic, ties, dare_linear, dare_ties, or moe_arrow / moe_router (LoRA adapters upcycled into a mixture of experts)");
    public static final ConfigKey PLAN_METHODS = new ConfigKey("merger.plan.methods", "",
            "comma-separated methods, one merge each; empty: merger.plan.method alone");
    public static final ConfigKey PLAN_MIN_RUNS = new ConfigKey("merger.plan.min.runs", "0",
            "0: fire when every run has a stop decision; N: also once N runs have one and merger.plan.timeout.ms has passed since the N-th");
    public static final ConfigKey PLAN_TIMEOUT_MS = new ConfigKey("merger.plan.timeout.ms", "0",
            "with merger.plan.min.runs > 0, how long to wait for the other runs after the N-th decision (0: at once)");
    public static final ConfigKey PLAN_DENSITY = new ConfigKey("merger.plan.density", "", "fraction kept by ties/dare_* in (0, 1]; empty: the method's default (ties 0.2, dare 0.1)");
    public static final ConfigKey PLAN_TRIM_SCOPE = new ConfigKey("merger.plan.trim.scope", "",
            "what ties ranks to keep the top density: tensor (each tensor, as mergekit) or global (the whole task vector, as the TIES"
                    + " paper); empty: tensor");
    public static final ConfigKey BASE_URI = new ConfigKey("merger.plan.base.uri", "", "file: URI of the pretrained base checkpoint (required with merger.plan.id)");
    public static final ConfigKey BASE_SHA256 = new ConfigKey("merger.plan.base.sha256", "", "sha256 of the base checkpoint, 64 hex (required with merger.plan.id)");
    public static final ConfigKey LAMBDAS = new ConfigKey("merger.lambdas", "auto",
            "auto: a log-scale search widened until the best mean validation accuracy is interior (within [2^-8, 16]);"
                    + " or the comma-separated lambdas to try, exactly");
    public static final ConfigKey EVAL_BATCH = new ConfigKey("merger.eval.batch.size", "2048", "rows per evaluation batch");
    public static final ConfigKey DIFFICULTY_STEP = new ConfigKey("merger.difficulty.reference.step", "32",
            "step of the early checkpoint (step-<n>.safetensors next to the merged one) whose EL2N splits training examples into easy and hard");
    public static final ConfigKey HARD_FRACTION = new ConfigKey("merger.difficulty.hard.fraction", "0.1",
            "share of training examples, by EL2N at the reference step, counted hard (top), in (0, 1); as the monitor's signal.hard.fraction");
    public static final ConfigKey SEED = new ConfigKey("merger.seed", "0", "seed of random merge choices");
    public static final ConfigKey CHECKPOINT_ROOT = new ConfigKey("merger.checkpoint.root", "", "checkpoint store folder; empty: ${upcycle.home}/checkpoints");
    public static final ConfigKey WAIT_MS = new ConfigKey("merger.wait.ms", "600000", "how long the service runs; with merger.plan.id it stops once that plan has fired");
    /** Every key, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(BOOTSTRAP, REGISTRY, GROUP_ID, PLAN_ID, PLAN_RUNS, PLAN_METHOD,
            PLAN_METHODS, PLAN_MIN_RUNS, PLAN_TIMEOUT_MS, PLAN_DENSITY, PLAN_TRIM_SCOPE, BASE_URI, BASE_SHA256, LAMBDAS, EVAL_BATCH, SEED,
            DIFFICULTY_STEP, HARD_FRACTION, CHECKPOINT_ROOT, WAIT_MS);

    static final Pattern PLAN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Builds and validates the config from string values (CLI arguments, properties). */
    public static MergerConfig from(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (key.startsWith("merger.") && KEYS.stream().noneMatch(k -> k.name().equals(key))) {
                throw new IllegalArgumentException("unknown config key '" + key + "'; known keys: " + KEYS.stream().map(ConfigKey::name).toList());
            }
        }
        KafkaConnection connection;
        try {
            connection = new KafkaConnection(BOOTSTRAP.value(values), REGISTRY.value(values));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid Kafka connection config: " + e.getMessage(), e);
        }
        Optional<PlanSpec> plan = ConfiguredPlan.from(values);
        List<String> methods = ConfiguredPlan.methods(values);
        MergeOptions options = new MergeOptions(lambdas(values), positiveInt(EVAL_BATCH, values), longValue(SEED, values),
                density(values, methods), difficulty(values), trimScope(values, methods));
        String root = CHECKPOINT_ROOT.value(values);
        Path checkpointRoot = root.isEmpty() ? CheckpointStore.atDefaultLocation().root() : Path.of(root).toAbsolutePath();
        Duration waitFor = Duration.ofMillis(positiveInt(WAIT_MS, values));
        return new MergerConfig(connection, GROUP_ID.value(values), plan, options, checkpointRoot, waitFor);
    }

    /** How plans naming {@code moe_arrow} or {@code moe_router} upcycle: this config's seed and evaluation batch, top_k 1. */
    public MoeOptions moeOptions() {
        MoeOptions defaults = MoeOptions.defaults();
        return new MoeOptions(defaults.topK(), options.seed(), defaults.routerEpochs(), defaults.routerLearningRate(),
                options.evalBatchSize());
    }

    private static LambdaGrid lambdas(Map<String, String> values) {
        String raw = LAMBDAS.value(values);
        if (raw.trim().equals("auto")) {
            return LambdaGrid.adaptive();
        }
        List<Double> lambdas = new ArrayList<>();
        for (String part : raw.split(",")) {
            try {
                double lambda = Double.parseDouble(part.trim());
                if (!Double.isFinite(lambda) || lambda < 0) {
                    throw LAMBDAS.invalid(raw, "every lambda must be a finite number >= 0");
                }
                lambdas.add(lambda);
            } catch (NumberFormatException e) {
                throw LAMBDAS.invalid(raw, "'" + part.trim() + "' is not a number (or give 'auto')");
            }
        }
        return LambdaGrid.fixed(lambdas);
    }

    private static OptionalDouble density(Map<String, String> values, List<String> methods) {
        String raw = PLAN_DENSITY.value(values);
        if (raw.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (!anyReads(methods, MergeParameters.DENSITY)) {
            throw PLAN_DENSITY.invalid(raw, methods.size() == 1 ? "method '" + methods.get(0) + "' reads no density"
                    : "no method of " + methods + " reads a density");
        }
        try {
            double density = Double.parseDouble(raw);
            if (!(density > 0 && density <= 1)) {
                throw PLAN_DENSITY.invalid(raw, "must be in (0, 1]");
            }
            return OptionalDouble.of(density);
        } catch (NumberFormatException e) {
            throw PLAN_DENSITY.invalid(raw, "not a number");
        }
    }

    private static TrimScope trimScope(Map<String, String> values, List<String> methods) {
        String raw = PLAN_TRIM_SCOPE.value(values);
        if (raw.isEmpty()) {
            return null;
        }
        if (!anyReads(methods, MergeParameters.TRIM_SCOPE)) {
            throw PLAN_TRIM_SCOPE.invalid(raw, methods.size() == 1 ? "method '" + methods.get(0) + "' does not trim by magnitude"
                    : "no method of " + methods + " trims by magnitude");
        }
        try {
            return TrimScope.parse(raw);
        } catch (IllegalArgumentException e) {
            throw PLAN_TRIM_SCOPE.invalid(raw, "must be tensor or global");
        }
    }

    /** Whether any of the registry's {@code methods} reads {@code parameter} (MoE names are not in the registry: they read none). */
    private static boolean anyReads(List<String> methods, String parameter) {
        MergeMethods merges = MergeMethods.defaults();
        return methods.stream().filter(merges.names()::contains).anyMatch(method -> merges.get(method).reads(parameter));
    }

    private static DifficultyOptions difficulty(Map<String, String> values) {
        long step = longValue(DIFFICULTY_STEP, values);
        if (step < 0) {
            throw DIFFICULTY_STEP.invalid(Long.toString(step), "must be >= 0");
        }
        String raw = HARD_FRACTION.value(values);
        try {
            double fraction = Double.parseDouble(raw);
            if (!(fraction > 0 && fraction < 1)) {
                throw HARD_FRACTION.invalid(raw, "must be in (0, 1)");
            }
            return new DifficultyOptions(step, fraction);
        } catch (NumberFormatException e) {
            throw HARD_FRACTION.invalid(raw, "not a number");
        }
    }

    static String matching(ConfigKey key, Map<String, String> values, Pattern pattern, String rule) {
        String value = key.value(values);
        if (!pattern.matcher(value).matches()) {
            throw key.invalid(value, rule);
        }
        return value;
    }

    static int positiveInt(ConfigKey key, Map<String, String> values) {
        long value = longValue(key, values);
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw key.invalid(Long.toString(value), "must be a positive integer");
        }
        return (int) value;
    }

    static long longValue(ConfigKey key, Map<String, String> values) {
        String value = key.value(values);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw key.invalid(value, "not an integer");
        }
    }
}
