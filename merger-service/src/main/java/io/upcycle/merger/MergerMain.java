package io.upcycle.merger;

import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.moe.ArrowMoeFile;
import io.upcycle.merger.moe.MoeUpcycler;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code upcycle merge}: merges files without Kafka, or builds the merger service from
 * {@code key=value} arguments (system properties of known keys as fallback), fires the plans it
 * knows (configured and from {@code upcycle.merge-plans}) as their stop decisions arrive, and prints
 * the merges.
 */
public final class MergerMain {

    private MergerMain() {
    }

    public static void main(String[] args) {
        if (FileMergeArgs.applies(args)) {
            FileMerge.Result result = runFiles(FileMergeArgs.parse(args));
            System.out.println("merged " + result.mergedTensors() + " tensors (" + result.copiedTensors() + " copied) with "
                    + result.parameters().asStrings() + " in " + result.mergeMillis() + " ms: " + result.output());
            System.out.println("card: " + result.card());
            return;
        }
        List<MergeResult> results = run(MergerConfig.from(values(args, System.getProperties())), TaskDataSource.catalog());
        for (MergeResult result : results) {
            System.out.println("merged plan " + result.event().getPlanId() + " with " + result.event().getMethod() + " as "
                    + result.event().getMergeId() + " (lambda " + result.lambda() + ", runs "
                    + result.event().getParameters().get("plan.runs.merged") + "): " + result.output().uri());
            result.event().getScores().forEach(s -> System.out.printf("  %-24s merged %.4f  expert %.4f  normalized %.4f%n",
                    s.getTask(), s.getMergedAccuracy(), s.getExpertAccuracy(), s.getNormalizedAccuracy()));
            System.out.println("card: " + result.card());
        }
        if (results.isEmpty()) {
            System.out.println("no plan fired");
        }
    }

    /** Merges files as {@code args} say on the TF engine: no Kafka, no checkpoint store. */
    public static FileMerge.Result runFiles(FileMergeArgs args) {
        TensorFlowEngine tf = TensorFlowEngine.load();
        try (var manager = tf.engine().newBaseManager()) {
            return FileMerge.run(args, MergeMethods.defaults(), manager, tf.deviceName());
        }
    }

    /** The usage of both modes of {@code upcycle merge}, for the launcher's help. */
    public static String usage() {
        StringBuilder text = new StringBuilder("""
                Usage:
                  upcycle merge --method NAME --base B.safetensors --out M.safetensors [--lambda L] [--density D]
                                [--trim-scope tensor|global] [--seed S] [--adapter-space] EXPERT.safetensors...
                      merges files, no Kafka: every tensor of the base is merged (each expert must hold it with the
                      same shape); tensors only an expert holds are copied as experts.<i>.<name>; only float tensors.
                      A LoRA adapter takes part as its dense expert W + (alpha/r) B A. With --adapter-space (LoRA
                      adapters only; task_arithmetic or average) the output is one LoRA adapter of rank sum(r_i),
                      exact, with B = [B_1|B_2|...] and A = [c_1 A_1; c_2 A_2; ...], c_i = lambda alpha_i / r_i;
                      every task's head is kept as experts.<i>.head.weight/bias. --trim-scope (ties): rank each
                      tensor on its own (tensor, the default, as mergekit) or each expert's whole task vector (global,
                      as the TIES paper) when keeping the top density.
                      With --method moe_arrow (LoRA adapters only; no --lambda, --density, --trim-scope or --adapter-space) the
                      adapters are upcycled into a mixture of experts: the base's trunk, each adapter as
                      experts.<i>.trunk.<l>.lora_A/B.weight with its head, and per layer a training-free Arrow router
                      (router.trunk.<l>.prototypes; top_k 1, --seed seeds the prototypes). moe_router trains its
                      router on task data and is refused here: name it in a merge plan of the service instead.
                      Writes M.safetensors and the card M.json (method, parameters, seed, inputs' sha256, timings).
                  upcycle merge [--merger.plan.id ID --merger.plan.runs A,B ...] (--key value or key=value)
                      the merger service: reads upcycle.merge-results (merges already published), then plans from
                      upcycle.merge-plans (MergeRequested, key: plan id) and from the merger.plan.* keys, and stop
                      decisions. A plan fires once: when all its runs have a decision, or (min.runs N > 0) when N have
                      one and timeout.ms has passed since the N-th; it merges the runs decided by then, once per method,
                      tunes lambda on validation and publishes MergeCompleted (parameter plan.runs.merged, e.g. 3/4,
                      and the plan's tags; the card beside the output says the same). moe_arrow and moe_router
                      upcycle the plan's LoRA adapters into a mixture of experts instead (non-LoRA experts fail it).
                      A (plan, method) already on upcycle.merge-results is not merged again. Stops once the
                      configured plan fired, or after merger.wait.ms.

                Methods:
                """);
        MergeMethods methods = MergeMethods.defaults();
        for (String name : methods.names()) {
            var method = methods.get(name);
            text.append(String.format("  %-16s %s  parameters: %s%n", name, method.referenceUrl(), method.parameters().stream()
                    .map(p -> p.name() + "=" + p.defaultValue()).toList()));
        }
        text.append(String.format("  %-16s %s  LoRA adapters -> MoE, training-free Arrow router, top_k=1%n", MoeUpcycler.ARROW,
                ArrowMoeFile.REFERENCE_URL));
        text.append(String.format("  %-16s LoRA adapters -> MoE, softmax-regression router trained on the tasks' training data,"
                + " top_k=1 (merge plans only)%n", MoeUpcycler.ROUTER));
        text.append('\n').append(FileMergeYaml.HELP);
        text.append("\nKeys of the Kafka mode:\n");
        for (ConfigKey key : MergerConfig.KEYS) {
            text.append(String.format("  --%-34s %s%s%n", key.name(), key.doc(),
                    key.defaultValue() == null ? " (required)"
                            : key.defaultValue().isEmpty() ? "" : " (default: " + key.defaultValue() + ")"));
        }
        return text.toString();
    }

    /**
     * Loads the TF engine and runs the service for up to {@code merger.wait.ms}; returns the merges it
     * published. A configured plan that did not fire by then is an error naming its undecided runs.
     */
    public static List<MergeResult> run(MergerConfig config, TaskDataSource data) {
        TensorFlowEngine tf = TensorFlowEngine.load();
        try (var manager = tf.engine().newBaseManager();
             EventProducer producer = new EventProducer(config.connection())) {
            Topics topics = Topics.connect(config.connection());
            CheckpointStore store = new CheckpointStore(config.checkpointRoot());
            PlanMethods runner = new PlanMethods(List.of(
                    new MergeRunner(store, MergeMethods.defaults(), data, manager, tf.deviceName(), config.options()),
                    new MoeUpcycler(store, data, manager, tf.deviceName(), config.moeOptions())));
            MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));
            List<MergeResult> results = service.runOnce(topics, producer, config.waitFor());
            config.plan().ifPresent(plan -> {
                if (!service.fired(plan.planId())) {
                    throw new IllegalStateException("plan " + plan.planId() + " did not fire within " + config.waitFor()
                            + "; runs without a stop decision: " + service.missingRuns(plan.planId()));
                }
                service.failure(plan.planId()).ifPresent(e -> {
                    throw new IllegalStateException("plan " + plan.planId() + " failed to merge: " + e.getMessage(), e);
                });
            });
            return results;
        }
    }

    /** Known keys from {@code properties}, overridden by {@code --key value}, {@code --key=value} or {@code key=value} arguments. */
    static Map<String, String> values(String[] args, Properties properties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey key : MergerConfig.KEYS) {
            String value = properties.getProperty(key.name());
            if (value != null) {
                values.put(key.name(), value);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String plain = arg.startsWith("--") ? arg.substring(2) : arg;
            int equals = plain.indexOf('=');
            if (equals > 0) {
                values.put(plain.substring(0, equals), plain.substring(equals + 1));
            } else if (arg.startsWith("--") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(plain, args[++i]);
            } else {
                throw new IllegalArgumentException("argument '" + arg + "' is not --key value or key=value; known keys: "
                        + MergerConfig.KEYS.stream().map(ConfigKey::name).toList());
            }
        }
        return values;
    }
}
