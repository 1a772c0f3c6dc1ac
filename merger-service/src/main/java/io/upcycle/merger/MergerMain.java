package io.upcycle.merger;

import io.upcycle.merger.method.MergeMethods;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code upcycle merge}: builds the merger from {@code key=value} arguments (system properties of
 * known keys as fallback), waits for the plan's stop decisions, merges once and prints the result.
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
        MergeResult result = run(MergerConfig.from(values(args, System.getProperties())), TaskDataSource.catalog());
        System.out.println("merged plan " + result.event().getPlanId() + " as " + result.event().getMergeId()
                + " (lambda " + result.lambda() + "): " + result.output().uri());
        result.event().getScores().forEach(s -> System.out.printf("  %-24s merged %.4f  expert %.4f  normalized %.4f%n",
                s.getTask(), s.getMergedAccuracy(), s.getExpertAccuracy(), s.getNormalizedAccuracy()));
        System.out.println("card: " + result.card());
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
                  upcycle merge --method NAME --base B.safetensors --out M.safetensors [--lambda L] [--density D] [--seed S] EXPERT.safetensors...
                      merges files, no Kafka: every tensor of the base is merged (each expert must hold it with the
                      same shape); tensors only an expert holds are copied as experts.<i>.<name>; only float tensors.
                      Writes M.safetensors and the card M.json (method, parameters, seed, inputs' sha256, timings).
                  upcycle merge --merger.plan.id ID --merger.plan.runs A,B ... (--key value or key=value)
                      waits for the plan's stop decisions on Kafka, merges, tunes lambda on validation, publishes.

                Methods:
                """);
        MergeMethods methods = MergeMethods.defaults();
        for (String name : methods.names()) {
            var method = methods.get(name);
            text.append(String.format("  %-16s %s  parameters: %s%n", name, method.referenceUrl(), method.parameters().stream()
                    .map(p -> p.name() + "=" + p.defaultValue()).toList()));
        }
        text.append("\nKeys of the Kafka mode:\n");
        for (ConfigKey key : MergerConfig.KEYS) {
            text.append(String.format("  --%-26s %s%s%n", key.name(), key.doc(),
                    key.defaultValue() == null ? " (required)" : " (default: " + key.defaultValue() + ")"));
        }
        return text.toString();
    }

    /** Loads the TF engine, consumes decisions until the plan is merged, and returns the result. */
    public static MergeResult run(MergerConfig config, TaskDataSource data) {
        TensorFlowEngine tf = TensorFlowEngine.load();
        try (var manager = tf.engine().newBaseManager();
             EventProducer producer = new EventProducer(config.connection())) {
            Topics topics = Topics.connect(config.connection());
            MergeRunner runner = new MergeRunner(new CheckpointStore(config.checkpointRoot()), MergeMethods.defaults(), data,
                    manager, tf.deviceName(), config.options());
            MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));
            Optional<MergeResult> result = service.runOnce(topics, producer, config.waitFor());
            return result.orElseThrow(() -> new IllegalStateException("plan " + config.plan().planId() + " not merged within "
                    + config.waitFor() + "; runs without a stop decision: " + service.missingRuns()));
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
