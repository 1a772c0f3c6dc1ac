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
        MergeResult result = run(MergerConfig.from(values(args, System.getProperties())), TaskDataSource.catalog());
        System.out.println("merged plan " + result.event().getPlanId() + " as " + result.event().getMergeId()
                + " (lambda " + result.lambda() + "): " + result.output().uri());
        result.event().getScores().forEach(s -> System.out.printf("  %-24s merged %.4f  expert %.4f  normalized %.4f%n",
                s.getTask(), s.getMergedAccuracy(), s.getExpertAccuracy(), s.getNormalizedAccuracy()));
        System.out.println("card: " + result.card());
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
