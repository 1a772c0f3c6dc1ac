package io.upcycle.bench.monitor;

import io.upcycle.monitor.Events;
import io.upcycle.monitor.MonitorHarness;
import io.upcycle.monitor.TopologyNames;
import io.upcycle.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rough throughput of the topology in {@link org.apache.kafka.streams.TopologyTestDriver}: per-example
 * losses per second for batches of 64 and 1024, from pre-encoded records (decode, validate, state
 * read and write, policy, all included; broker and transactions not). The test driver commits and
 * writes the changelog after every record, which a deployment does once per commit interval. A
 * measurement, not a test; how to run it: see the module's README. Arguments: examples per run
 * (8,000), per-example losses measured per batch size (8,000,000; a quarter more as warm-up).
 */
public final class ThroughputProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ThroughputProbe.class);

    private ThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        int examples = args.length > 0 ? Integer.parseInt(args[0]) : 8_000;
        int losses = args.length > 1 ? Integer.parseInt(args[1]) : 8_000_000;
        for (int batch : new int[] {64, 1024}) {
            measure(examples, batch, losses / 4 / batch); // warm-up
            double rate = measure(examples, batch, losses / batch);
            LOG.info(String.format(Locale.ROOT, "run of %,d examples, batch %,d: %,.0f per-example losses/s (%,.0f records/s)",
                    examples, batch, rate, rate / batch));
        }
    }

    /** Per-example losses per second over {@code steps} steps of one run. */
    static double measure(int examples, int batch, int steps) throws Exception {
        Path dir = Files.createTempDirectory("monitor-probe");
        // a target that is never reached, so every step is assessed and none is decided
        try (MonitorHarness h = new MonitorHarness(dir, Map.of("policy.target.fraction", "1", "policy.loss.threshold", "0.001"))) {
            Random random = new Random(1);
            h.runs.pipeInput("run", Events.started("run", examples), 0);
            List<byte[]> encoded = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int[] ids = new int[batch];
                float[] losses = new float[batch];
                for (int j = 0; j < batch; j++) {
                    ids[j] = random.nextInt(examples);
                    losses[j] = random.nextFloat() * 2;
                }
                encoded.add(h.topics.exampleLosses().valueSerde().serializer()
                        .serialize(Topics.EXAMPLE_LOSSES, Events.losses("run", 0, ids, losses)));
            }
            // the step is the second field, after the run id: re-encode it per record (zig-zag varint)
            TestInputTopic<byte[], byte[]> raw = h.raw(Topics.EXAMPLE_LOSSES);
            byte[] key = "run".getBytes(StandardCharsets.UTF_8);
            List<byte[]> records = new ArrayList<>(steps);
            for (int s = 1; s <= steps; s++) {
                records.add(SyntheticStream.withStep(encoded.get(s % encoded.size()), "run", s));
            }
            // the test driver keeps every produced record, changelog included: drain it as a consumer would
            TestOutputTopic<byte[], byte[]> changelog = h.driver.createOutputTopic(
                    "upcycle-monitor-" + TopologyNames.RUN_STATE_STORE + "-changelog",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            long start = System.nanoTime();
            for (int s = 1; s <= steps; s++) {
                raw.pipeInput(key, records.get(s - 1), s);
                if (s % 256 == 0) {
                    while (!changelog.isEmpty()) {
                        changelog.readValue();
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!h.deadLetters.isEmpty() || h.state("run").stepsObserved() != steps) {
                throw new IllegalStateException("probe records were rejected: " + h.deadLetters.readValue());
            }
            return (double) steps * batch / seconds;
        }
    }

}
