package io.upcycle.monitor.audit;

import io.upcycle.files.FileTrees;
import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.LossesLog;
import io.upcycle.monitor.MonitorTopology;
import io.upcycle.monitor.TopologyNames;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Replays a log file through the monitor's own topology ({@link MonitorTopology#build}) in a
 * {@link TopologyTestDriver}, with the file's schemas under their original ids. Each run's records
 * go in its own event-time order: per run and partition in offset order, merged by event timestamp;
 * equal timestamps go runs, checkpoints, step metrics, then losses (the monitor's logic does not
 * depend on that tie order: a checkpoint counts only for later events). Merging whole partitions
 * instead would let a run far ahead (each run has its own step clock) hold back a slower run's
 * losses behind its own {@code RunEnded}, an order the live monitor, reading records as they were
 * produced, did not see.
 *
 * <p>Why {@link TopologyTestDriver} in production code: an audit must decide exactly as the live
 * monitor did, record by record, and the driver is Kafka Streams' own engine for that: the same
 * topology and state stores, fed synchronously in the order given here, with event time from
 * the records and no broker, no threads, no commit timing to vary between runs. A broker-based
 * replay would add nothing the audit needs and lose the determinism. Only the driver comes from
 * {@code kafka-streams-test-utils}; no test code or assertion runs here.
 */
public final class Replay {
    static final List<String> TIE_ORDER = List.of(Topics.RUNS, Topics.CHECKPOINTS, Topics.STEP_METRICS, Topics.EXAMPLE_LOSSES);
    private static final int DRAIN_EVERY = 512;

    private Replay() {
    }

    /**
     * Replays every record of the file under the monitor configuration {@code values} (keys of
     * {@link MonitorConfigKeys}; connection keys are not needed). All runs are replayed even when one
     * is audited; each in its own event-time order, so one run's records never wait behind another's.
     */
    public static ReplayResult run(Path file, LogIndex index, Map<String, String> values) {
        Path stateDir = null;
        try {
            stateDir = Files.createTempDirectory("upcycle-replay");
            return run(file, index, config(values, stateDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private static ReplayResult run(Path file, LogIndex index, MonitorConfig config) {
        Topics topics = Topics.connect(new InMemorySchemaRegistryClient(index.schemas()));
        Topology topology = MonitorTopology.build(config, topics, LossesLog.inMemory());
        Set<String> inputs = sourceTopics(topology);
        List<PartitionCursor> cursors = new ArrayList<>();
        PriorityQueue<PartitionCursor> queue = new PriorityQueue<>(Comparator.comparingLong(PartitionCursor::timestamp)
                .thenComparingInt(PartitionCursor::rank).thenComparingInt(PartitionCursor::partition)
                .thenComparing(PartitionCursor::keyText));
        ReplayOutputs outputs = new ReplayOutputs(topics);
        long piped = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config.streamsProperties())) {
            Map<String, TestInputTopic<byte[], byte[]>> in = new HashMap<>();
            for (LogIndex.Section section : index.sections()) {
                if (inputs.contains(section.topic())) {
                    for (byte[] key : keys(file, section)) {
                        PartitionCursor cursor = new PartitionCursor(LogReader.open(file, section), key, rank(section.topic()));
                        cursors.add(cursor);
                        if (cursor.advance()) {
                            queue.add(cursor);
                        }
                    }
                    in.computeIfAbsent(section.topic(), t -> driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
                }
            }
            while (!queue.isEmpty()) {
                PartitionCursor next = queue.poll();
                LoggedRecord r = next.head();
                in.get(r.topic()).pipeInput(new TestRecord<>(r.key(), r.value(), new RecordHeaders(), next.timestamp()));
                if (++piped % DRAIN_EVERY == 0) {
                    outputs.drain(driver);
                }
                if (next.advance()) {
                    queue.add(next);
                }
            }
            outputs.drain(driver);
            return new ReplayResult(outputs.decisions, lastSteps(driver), piped, outputs.deadLetters(), outputs.byRun());
        } finally {
            cursors.forEach(PartitionCursor::close);
        }
    }

    private static Map<String, Long> lastSteps(TopologyTestDriver driver) {
        Map<String, Long> steps = new TreeMap<>();
        KeyValueStore<String, RunState> store = driver.getKeyValueStore(TopologyNames.RUN_STATE_STORE);
        try (KeyValueIterator<String, RunState> all = store.all()) {
            all.forEachRemaining(e -> steps.put(e.key, e.value.step()));
        }
        return steps;
    }

    private static Set<String> sourceTopics(Topology topology) {
        Set<String> topics = new HashSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    topics.addAll(source.topicSet());
                }
            }
        }
        return topics;
    }

    /** The distinct keys of {@code section}'s records, in order of first appearance (null for records without one). */
    static List<byte[]> keys(Path file, LogIndex.Section section) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        try (LogReader reader = LogReader.open(file, section)) {
            for (LoggedRecord r = reader.next(); r != null; r = reader.next()) {
                keys.putIfAbsent(r.key() == null ? "n" : "k" + new String(r.key(), java.nio.charset.StandardCharsets.ISO_8859_1), r.key());
            }
        }
        return new ArrayList<>(keys.values());
    }

    private static int rank(String topic) {
        int rank = TIE_ORDER.indexOf(topic);
        return rank < 0 ? TIE_ORDER.size() : rank;
    }

    private static MonitorConfig config(Map<String, String> values, Path stateDir) {
        Map<String, String> all = new LinkedHashMap<>(values);
        all.put(KafkaConnection.BOOTSTRAP_SERVERS, "127.0.0.1:9");
        all.put(KafkaConnection.REGISTRY_URL, "http://127.0.0.1:9/replay");
        all.put(MonitorConfigKeys.STATE_DIR, stateDir.toString());
        return MonitorConfig.from(all);
    }

    private static void deleteQuietly(Path dir) {
        if (dir != null) {
            FileTrees.deleteQuietly(dir); // a leftover temporary folder is harmless
        }
    }
}
