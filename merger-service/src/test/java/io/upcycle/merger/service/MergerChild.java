package io.upcycle.merger.service;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.MergeRunner;
import io.upcycle.merger.TfManager;
import io.upcycle.merger.TinyExperts;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import io.upcycle.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A merger in a JVM of its own, for tests that kill it: the merger service over the real broker,
 * with the task data of a {@link TinyExperts} fixture (rebuilt from its seed in a scratch folder)
 * and the checkpoints the parent wrote. Runs until every named plan fired.
 *
 * <p>Arguments: bootstrap servers, registry URL, checkpoint folder, fixture seed, run ids (comma
 * separated), plan ids (comma separated).
 */
public final class MergerChild {
    private MergerChild() {
    }

    public static void main(String[] args) throws IOException {
        Path store = Path.of(args[2]);
        List<String> runs = List.of(args[4].split(","));
        Set<String> plans = new LinkedHashSet<>(List.of(args[5].split(",")));
        TinyExperts tasks = new TinyExperts(new CheckpointStore(Files.createTempDirectory("merger-child")), Long.parseLong(args[3]), runs);
        MergerConfig config = MergerConfig.from(Map.of("bootstrap.servers", args[0], "schema.registry.url", args[1],
                "group.id", "merger-child", "checkpoint.root", store.toString(), "lambdas", "0.5,1.0", "lease.timeout.ms", "6000"));
        try (NDManager manager = TfManager.open();
             EventProducer producer = new EventProducer(config.connection())) {
            Topics topics = Topics.connect(config.connection());
            MergeRunner runner = new MergeRunner(new CheckpointStore(store), MergeMethods.defaults(), tasks.tasks::get, manager,
                    "cpu", config.options());
            MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));
            service.run(topics, producer, Duration.ofMinutes(3), plans);
            List<String> unfired = new ArrayList<>(plans.stream().filter(p -> !service.fired(p)).toList());
            if (!unfired.isEmpty()) {
                throw new IllegalStateException("plans did not fire: " + unfired);
            }
        }
    }

    /** Starts the child (see {@link ChildJvm}); its output goes to {@code log}. */
    static Process start(List<String> args, Path log) throws IOException {
        return ChildJvm.start(MergerChild.class, "1g", args, log);
    }

}
