package io.upcycle.merger.service;

import io.upcycle.config.ConfigSpec;
import io.upcycle.config.ConfigValues;
import io.upcycle.config.Validators;
import io.upcycle.merger.DifficultyOptions;
import io.upcycle.merger.LambdaGrid;
import io.upcycle.merger.MergeOptions;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.method.TrimScope;
import io.upcycle.merger.moe.MoeOptions;
import io.upcycle.merger.plan.ConfiguredPlan;
import io.upcycle.merger.plan.PlanSpec;
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
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;

/**
 * Typed configuration of the merger service, every key declared once in {@link #SPEC}: a bad
 * value or an unknown key fails at start-up with an error naming its key. The configured plan is
 * optional ({@code plan.id} unset: plans come only from {@code upcycle.merge-plans}); once
 * {@code plan.id} is set, its runs and base are required.
 */
public record MergerConfig(KafkaConnection connection, String groupId, Optional<PlanSpec> plan, MergeOptions options,
                           CheckpointStore store, Duration waitFor, Duration leaseTimeout) {
    public static final String GROUP_ID = "group.id";
    public static final String PLAN_ID = "plan.id";
    public static final String PLAN_RUNS = "plan.runs";
    public static final String PLAN_METHOD = "plan.method";
    public static final String PLAN_METHODS = "plan.methods";
    public static final String PLAN_MIN_RUNS = "plan.min.runs";
    public static final String PLAN_TIMEOUT_MS = "plan.timeout.ms";
    public static final String PLAN_DENSITY = "plan.density";
    public static final String PLAN_TRIM_SCOPE = "plan.trim.scope";
    public static final String BASE_URI = "plan.base.uri";
    public static final String BASE_SHA256 = "plan.base.sha256";
    public static final String LAMBDAS = "lambdas";
    public static final String EVAL_BATCH = "eval.batch.size";
    public static final String DIFFICULTY_STEP = "difficulty.reference.step";
    public static final String HARD_FRACTION = "difficulty.hard.fraction";
    public static final String SEED = "seed";
    public static final String CHECKPOINT_ROOT = "checkpoint.root";
    public static final String READ_ROOTS = "checkpoint.read.roots";
    public static final String WAIT_MS = "wait.ms";
    public static final String LEASE_TIMEOUT_MS = "lease.timeout.ms";

    static final Pattern PLAN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Every key of the merger service, in documentation order. */
    public static final ConfigSpec SPEC = ConfigSpec.of("merger", KafkaConnection.define(new ConfigDef())
            .define(GROUP_ID, ConfigDef.Type.STRING, "upcycle-merger", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Mergers of one group share one lease: the instance holding it reads every plan and decision and merges,"
                            + " the others stand by and take over when it dies.")
            .define(LEASE_TIMEOUT_MS, ConfigDef.Type.LONG, 10_000L, Range.between(6_000, 300_000), Importance.LOW,
                    "How long a merger that stopped answering keeps its lease before a standby takes over.")
            .define(PLAN_ID, ConfigDef.Type.STRING, "", Validators.text(s -> s.isEmpty() || PLAN_NAME.matcher(s).matches(),
                    "letters, digits, '.', '_' or '-'"), Importance.HIGH,
                    "Name of the configured merge plan; empty: plans only from upcycle.merge-plans.")
            .define(PLAN_RUNS, ConfigDef.Type.LIST, "", Importance.HIGH, "Run ids to merge (required with plan.id).")
            .define(PLAN_METHOD, ConfigDef.Type.STRING, "task_arithmetic", Importance.HIGH, "average, task_arithmetic, ties, dare_linear,"
                    + " dare_ties, or moe_arrow / moe_router (LoRA adapters upcycled into a mixture of experts).")
            .define(PLAN_METHODS, ConfigDef.Type.LIST, "", Importance.MEDIUM, "Methods, one merge each; empty: plan.method alone.")
            .define(PLAN_MIN_RUNS, ConfigDef.Type.INT, 0, Range.atLeast(0), Importance.MEDIUM, "0: fire when every run has a stop decision;"
                    + " N: also once N runs have one and plan.timeout.ms has passed since the N-th.")
            .define(PLAN_TIMEOUT_MS, ConfigDef.Type.LONG, 0L, Range.atLeast(0), Importance.MEDIUM,
                    "With plan.min.runs > 0, how long to wait for the other runs after the N-th decision (0: at once).")
            .define(PLAN_DENSITY, ConfigDef.Type.DOUBLE, null, Validators.number(d -> d.doubleValue() > 0 && d.doubleValue() <= 1, "in (0, 1]"),
                    Importance.MEDIUM, "Fraction kept by ties/dare_*; empty: the method's default (ties 0.2, dare 0.1).")
            .define(PLAN_TRIM_SCOPE, ConfigDef.Type.STRING, null, Validators.text(s -> s.equals("tensor") || s.equals("global"),
                    "tensor or global"), Importance.LOW, "What ties ranks to keep the top density: tensor (each tensor, as"
                    + " mergekit) or global (the whole task vector, as the TIES paper); empty: tensor.")
            .define(BASE_URI, ConfigDef.Type.STRING, "", Importance.HIGH, "file: URI of the pretrained base checkpoint;"
                    + " empty (with plan.base.sha256 empty): the base the plan's experts name in their checkpoints.")
            .define(BASE_SHA256, ConfigDef.Type.STRING, "", Validators.text(s -> s.isEmpty() || SHA256.matcher(s).matches(),
                    "64 lower-case hex digits"), Importance.HIGH, "sha256 of the base checkpoint (given with plan.base.uri).")
            .define(LAMBDAS, ConfigDef.Type.STRING, "auto", Importance.MEDIUM, "auto: a log-scale search widened until the best mean"
                    + " validation accuracy is interior (within [2^-8, 16]); or the comma-separated lambdas to try, exactly.")
            .define(EVAL_BATCH, ConfigDef.Type.INT, 2048, Range.atLeast(1), Importance.LOW, "Rows per evaluation batch.")
            .define(SEED, ConfigDef.Type.LONG, 0L, Importance.LOW, "Seed of random merge choices.")
            .define(DIFFICULTY_STEP, ConfigDef.Type.LONG, 32L, Range.atLeast(0), Importance.LOW, "Step of the early checkpoint"
                    + " (step-<n>.safetensors next to the merged one) whose EL2N splits training examples into easy and hard.")
            .define(HARD_FRACTION, ConfigDef.Type.DOUBLE, 0.1, Validators.number(d -> d.doubleValue() > 0 && d.doubleValue() < 1, "in (0, 1)"),
                    Importance.LOW, "Share of training examples, by EL2N at the reference step, counted hard (top);"
                            + " as the monitor's signal.hard.fraction.")
            .define(CHECKPOINT_ROOT, ConfigDef.Type.STRING, "", Importance.LOW, "Checkpoint store folder; empty: <upcycle home>/checkpoints.")
            .define(READ_ROOTS, ConfigDef.Type.LIST, "", Importance.MEDIUM, "Folders the merger reads checkpoints from; a plan"
                    + " or stop decision naming a file elsewhere is refused. Empty: checkpoint.root and <upcycle home>/cache/base.")
            .define(WAIT_MS, ConfigDef.Type.LONG, 600_000L, Range.between(1, Integer.MAX_VALUE), Importance.MEDIUM,
                    "How long the service runs; with plan.id it stops once that plan has fired."))
            .withPrefix(KafkaConnection.KAFKA_PREFIX, KafkaConnection.KAFKA_PREFIX_DOC);

    /** Builds and validates the config from values (command line, properties file, environment). */
    public static MergerConfig from(Map<String, ?> values) {
        return from(SPEC.parse(values));
    }

    /** The configuration of parsed values, with the checks that span keys. */
    public static MergerConfig from(ConfigValues v) {
        KafkaConnection connection = KafkaConnection.from(v);
        Optional<PlanSpec> plan = ConfiguredPlan.from(v);
        List<String> methods = ConfiguredPlan.methods(v);
        MergeOptions options = new MergeOptions(lambdas(v), v.getInt(EVAL_BATCH), v.getLong(SEED), density(v, methods),
                new DifficultyOptions(v.getLong(DIFFICULTY_STEP), v.getDouble(HARD_FRACTION)), trimScope(v, methods));
        return new MergerConfig(connection, v.getString(GROUP_ID), plan, options, store(v), Duration.ofMillis(v.getLong(WAIT_MS)),
                Duration.ofMillis(v.getLong(LEASE_TIMEOUT_MS)));
    }

    /** The store merges are written to, reading only under {@link #READ_ROOTS}. */
    private static CheckpointStore store(ConfigValues v) {
        String root = v.getString(CHECKPOINT_ROOT);
        Path checkpointRoot = root.isEmpty() ? CheckpointStore.atDefaultLocation().root() : Path.of(root).toAbsolutePath();
        List<Path> readable = new ArrayList<>();
        for (String folder : v.getList(READ_ROOTS)) {
            if (folder.isBlank()) {
                throw v.invalid(READ_ROOTS, "an empty folder name would allow nothing; leave the key empty for the defaults");
            }
            readable.add(Path.of(folder));
        }
        if (readable.isEmpty()) {
            readable = List.of(checkpointRoot, CheckpointStore.baseCache());
        }
        return new CheckpointStore(checkpointRoot, readable);
    }

    /** How plans naming {@code moe_arrow} or {@code moe_router} upcycle: this config's seed and evaluation batch, top_k 1. */
    public MoeOptions moeOptions() {
        MoeOptions defaults = MoeOptions.defaults();
        return new MoeOptions(defaults.topK(), options.seed(), defaults.routerEpochs(), defaults.routerLearningRate(),
                options.evalBatchSize());
    }

    private static LambdaGrid lambdas(ConfigValues v) {
        String raw = v.getString(LAMBDAS);
        if (raw.equals("auto")) {
            return LambdaGrid.adaptive();
        }
        List<Double> lambdas = new ArrayList<>();
        for (String part : raw.split(",", -1)) { // "0.5," is refused, not read as 0.5
            try {
                double lambda = Double.parseDouble(part.trim());
                if (!Double.isFinite(lambda) || lambda < 0) {
                    throw v.invalid(LAMBDAS, "every lambda must be a finite number >= 0");
                }
                lambdas.add(lambda);
            } catch (NumberFormatException e) {
                throw v.invalid(LAMBDAS, "'" + part.trim() + "' is not a number (or give 'auto')");
            }
        }
        return LambdaGrid.fixed(lambdas);
    }

    private static OptionalDouble density(ConfigValues v, List<String> methods) {
        Double density = v.getDouble(PLAN_DENSITY);
        if (density == null) {
            return OptionalDouble.empty();
        }
        if (!anyReads(methods, MergeParameters.DENSITY)) {
            throw v.invalid(PLAN_DENSITY, methods.size() == 1 ? "method '" + methods.get(0) + "' reads no density"
                    : "no method of " + methods + " reads a density");
        }
        return OptionalDouble.of(density);
    }

    private static TrimScope trimScope(ConfigValues v, List<String> methods) {
        String raw = v.getString(PLAN_TRIM_SCOPE);
        if (raw == null) {
            return null;
        }
        if (!anyReads(methods, MergeParameters.TRIM_SCOPE)) {
            throw v.invalid(PLAN_TRIM_SCOPE, methods.size() == 1 ? "method '" + methods.get(0) + "' does not trim by magnitude"
                    : "no method of " + methods + " trims by magnitude");
        }
        return TrimScope.parse(raw);
    }

    /** Whether any of the registry's {@code methods} reads {@code parameter} (MoE names are not in the registry: they read none). */
    private static boolean anyReads(List<String> methods, String parameter) {
        MergeMethods merges = MergeMethods.defaults();
        return methods.stream().filter(merges.names()::contains).anyMatch(method -> merges.get(method).reads(parameter));
    }
}
