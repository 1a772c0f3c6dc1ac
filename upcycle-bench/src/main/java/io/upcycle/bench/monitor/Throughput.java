package io.upcycle.bench.monitor;

import io.upcycle.monitor.GroupProgress;
import io.upcycle.monitor.MonitorService;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One throughput measurement: build a {@link SyntheticStream} (untimed), send its starts and have
 * them acknowledged, then start the clock, send every losses record, and stop it when the monitor
 * has applied the last step of every run (its state entries, read every millisecond); then wait
 * until its group has committed past the last record and note that time too. Checks afterwards
 * that the monitor applied every step of every run, so that rejected records cannot pass for fast
 * ones.
 */
final class Throughput {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final KafkaConnection connection;
    private final Topics topics;
    private final GroupProgress progress;
    private final MonitorService monitor;
    private final String store;
    private final MonitorBenchmarkOptions options;
    private final PrintStream out;

    Throughput(KafkaConnection connection, Topics topics, GroupProgress progress, MonitorService monitor, String store,
               MonitorBenchmarkOptions options, PrintStream out) {
        this.connection = connection;
        this.topics = topics;
        this.progress = progress;
        this.monitor = monitor;
        this.store = store;
        this.options = options;
        this.out = out;
    }

    /**
     * Measures one stream of {@code total} losses in batches of {@code batch}; round 0 is a warm-up.
     * The sends' futures are not kept (millions of them): a record the broker refused shows as a
     * step the monitor never applied, which {@link #requireApplied} refuses.
     */
    @SuppressWarnings("FutureReturnValueIgnored")
    ThroughputResult measure(String prefix, int examples, int batch, long total, int round, long t0) throws Exception {
        long steps = options.stepsPerRun(total, batch);
        SyntheticStream stream = new SyntheticStream(topics, prefix, options.runs(), examples, batch, steps,
                t0, options.seed() + round);
        long records = stream.losses.size();
        long bytes = stream.lossRecordBytes();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            stream.starts.forEach(producer::send);
            producer.flush();
            Map<String, Double> producedBefore = monitor.producedBytesByTopic();
            CpuTime cpuBefore = CpuTime.now();
            long start = System.nanoTime();
            for (ProducerRecord<byte[], byte[]> record : stream.losses) {
                producer.send(record);
            }
            producer.flush();
            long produced = System.nanoTime();
            stream.losses.clear();
            Map<TopicPartition, Long> ends = progress.ends(List.of(Topics.EXAMPLE_LOSSES));
            long applied = awaitApplied(stream, steps);
            CpuTime cpu = CpuTime.now().since(cpuBefore);
            long committed = progress.awaitCommitted(ends, TIMEOUT);
            requireApplied(stream, steps);
            Map<String, Double> sent = produced(producedBefore, monitor.producedBytesByTopic());
            double changelogBytes = sent.entrySet().stream().filter(e -> e.getKey().endsWith("-changelog"))
                    .mapToDouble(Map.Entry::getValue).sum();
            ThroughputResult result = new ThroughputResult(store, examples, batch, round, records * batch, records, bytes,
                    (produced - start) / 1e9, (applied - start) / 1e9, (committed - start) / 1e9, changelogBytes,
                    cpu.processNanos() / 1e9, cpu.streamThreadNanos() / 1e9);
            out.printf(Locale.ROOT, "%-7s %-8s batch %,5d: %,d runs of %,d examples x %,d steps = %,d losses applied in %.2f s"
                            + " (sent in %.2f s, committed at %.2f s): %,.0f losses/s, %,.0f records/s%n", store,
                    round == 0 ? "warm-up" : "round " + round, batch, options.runs(), examples, steps, records * batch,
                    result.seconds(), result.produceSeconds(), result.committedSeconds(), result.lossesPerSecond(),
                    result.recordsPerSecond());
            out.printf(Locale.ROOT, "  CPU meanwhile: %.2f s in all (%.0f ns/loss), %.2f s in the monitor's stream thread (%.0f ns/loss)%n",
                    result.cpuSeconds(), result.cpuNanosPerLoss(), result.streamThreadCpuSeconds(),
                    result.streamThreadNanosPerLoss());
            out.printf(Locale.ROOT, "  the monitor sent %s%n", describe(sent, records * batch));
            printReadBack(stream.runIds.get(0));
            return result;
        }
    }

    /**
     * Reads one run back whole, as a restore does (its entry, its arrays' snapshot and a replay of its
     * losses records since, from the broker), and prints how long that took: untimed by the rate.
     */
    private void printReadBack(String run) {
        long pending = monitor.pendingRecords(run);
        long start = System.nanoTime();
        RunState state = monitor.runState(run).orElseThrow();
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "  reading run %s back (entry, snapshot of generation %d, %,d losses records replayed): %.2f s%n",
                run, state.examplesGeneration(), pending, seconds);
    }

    /** Bytes produced per topic between {@code before} and {@code after}, topics that got none left out. */
    static Map<String, Double> produced(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new TreeMap<>();
        after.forEach((topic, bytes) -> {
            double d = bytes - before.getOrDefault(topic, 0.0);
            if (d > 0) {
                delta.put(topic, d);
            }
        });
        return delta;
    }

    private static String describe(Map<String, Double> produced, long losses) {
        StringBuilder text = new StringBuilder();
        produced.forEach((topic, bytes) -> text.append(String.format(Locale.ROOT, "%s%s %.1f MB (%.2f B/loss)",
                text.length() == 0 ? "" : ", ", topic.replaceFirst("^upcycle-bench-monitor-[^-]+-[^-]+-", ""),
                bytes / 1e6, bytes / losses)));
        return text.length() == 0 ? "nothing" : text.toString();
    }

    /** When the monitor had applied {@code steps} steps of every run of {@code stream}; fails after {@link #TIMEOUT}. */
    private long awaitApplied(SyntheticStream stream, long steps) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (String run : stream.runIds) {
            while (monitor.stepsObserved(run) < steps) {
                if (System.nanoTime() > deadline) {
                    return System.nanoTime(); // requireApplied names the run
                }
                Thread.sleep(1);
            }
        }
        return System.nanoTime();
    }

    private void requireApplied(SyntheticStream stream, long steps) {
        for (String run : stream.runIds) {
            long applied = monitor.stepsObserved(run);
            if (applied != steps) {
                throw new IllegalStateException("the monitor applied " + applied + " of " + steps + " steps of run " + run
                        + " (records rejected? see upcycle.dead-letters)");
            }
        }
    }

    private Properties producerProperties() {
        Properties p = connection.producerProperties();
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(256L << 20));
        return p;
    }
}
