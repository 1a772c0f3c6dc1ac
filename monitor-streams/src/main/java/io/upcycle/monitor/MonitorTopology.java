package io.upcycle.monitor;

import io.upcycle.monitor.curve.CurvePointSerde;
import io.upcycle.monitor.curve.DecisionSerde;
import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.RunStateSerde;
import io.upcycle.monitor.tracking.RunTracker;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The monitor's topology, a pure function of its configuration and topics.
 *
 * <pre>
 * runs-source ──────────► runs-decoder ───────────┐
 * example-losses-source ► example-losses-decoder ─┼─► run-monitor [run-state] ─► stop-decisions-sink
 *                                                 │        │                  └► commands-sink
 * checkpoints-source ───► checkpoints-decoder ────┤        │
 * step-metrics-source ──► step-metrics-decoder ───┘        │
 *             (undecodable) ──────────────────────────────┴──(invalid)──► dead-letters-sink
 * </pre>
 *
 * The four inputs are read as bytes and decoded in processors, so nothing undecodable can stop
 * the application. They are keyed by run id and must have the same partition count, so that one
 * run's events meet in one task and its one state entry. Next to {@code run-state} and
 * {@code run-examples} (the runs' per-example arrays), the monitor
 * keeps {@code run-curve} (every step's losses and signals) and {@code run-decision} (each run's
 * decision) for the live API and dashboard.
 */
public final class MonitorTopology {
    private MonitorTopology() {
    }

    /**
     * The topology on {@code topics}; a run's example arrays are replayed since their snapshot from
     * the losses records in {@code lossesLogs} ({@link KafkaLossesLog} for a monitor on a broker).
     */
    public static Topology build(MonitorConfig config, Topics topics, LossesLog.Factory lossesLogs) {
        String app = config.applicationId();
        Topology topology = new Topology();
        source(topology, TopologyNames.RUNS_SOURCE, TopologyNames.RUNS_DECODER, topics.runs(), app);
        source(topology, TopologyNames.EXAMPLE_LOSSES_SOURCE, TopologyNames.EXAMPLE_LOSSES_DECODER, topics.exampleLosses(), app);
        source(topology, TopologyNames.CHECKPOINTS_SOURCE, TopologyNames.CHECKPOINTS_DECODER, topics.checkpoints(), app);
        source(topology, TopologyNames.STEP_METRICS_SOURCE, TopologyNames.STEP_METRICS_DECODER, topics.stepMetrics(), app);
        topology.addProcessor(TopologyNames.RUN_MONITOR,
                () -> new RunMonitorProcessor(tracker(config), app, config.policy().signalName(), lossesLogs,
                        topics.exampleLosses().valueSerde().deserializer(), topics.exampleLosses().name()),
                TopologyNames.RUNS_DECODER, TopologyNames.EXAMPLE_LOSSES_DECODER, TopologyNames.CHECKPOINTS_DECODER,
                TopologyNames.STEP_METRICS_DECODER);
        topology.addStateStore(stateStore(TopologyNames.RUN_STATE_STORE, new RunStateSerde(), config), TopologyNames.RUN_MONITOR);
        topology.addStateStore(stateStore(TopologyNames.RUN_EXAMPLES_STORE, Serdes.ByteArray(), config), TopologyNames.RUN_MONITOR);
        // Not cached: a curve point is written once per step and a decision once per run, so the record
        // cache would save them nothing; and it evicts only from the store being written, so their
        // points, clean but never evicted, would fill it until every write of the run and example
        // entries (rewritten each record, the writes it must merge) went through to the changelog.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TopologyNames.RUN_CURVE_STORE),
                Serdes.Bytes(), new CurvePointSerde()).withCachingDisabled(), TopologyNames.RUN_MONITOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TopologyNames.RUN_DECISION_STORE),
                Serdes.String(), new DecisionSerde()).withCachingDisabled(), TopologyNames.RUN_MONITOR);
        topology.addSink(TopologyNames.STOP_DECISIONS_SINK, topics.stopDecisions().name(),
                new StringSerializer(), topics.stopDecisions().valueSerde().serializer(), TopologyNames.RUN_MONITOR);
        topology.addSink(TopologyNames.COMMANDS_SINK, topics.commands().name(),
                new StringSerializer(), topics.commands().valueSerde().serializer(), TopologyNames.RUN_MONITOR);
        topology.addSink(TopologyNames.DEAD_LETTERS_SINK, topics.deadLetters().name(),
                new ByteArraySerializer(), topics.deadLetters().valueSerde().serializer(),
                TopologyNames.RUNS_DECODER, TopologyNames.EXAMPLE_LOSSES_DECODER, TopologyNames.CHECKPOINTS_DECODER,
                TopologyNames.STEP_METRICS_DECODER, TopologyNames.RUN_MONITOR);
        return topology;
    }

    private static void source(Topology topology, String sourceName, String decoderName, Topic<String, ?> topic, String app) {
        topology.addSource(AutoOffsetReset.earliest(), sourceName, new EventTimeExtractor(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic.name());
        topology.addProcessor(decoderName, () -> new DecodeProcessor(topic.valueSerde().deserializer(), app), sourceName);
    }

    /** The monitoring logic {@code config} asks for: its stop policy, decision mode, signal window and settings. */
    public static RunTracker tracker(MonitorConfig config) {
        return new RunTracker(config.policy(), config.decisionMode(), config.signalWindowSteps(),
                config.topHardExamples(), config.maxExamplesPerRun(), config.signalSettings());
    }

    /**
     * {@code run-state} (each run's state entry) and {@code run-examples} (its per-example arrays as
     * snapshot blocks, written by the same processor right before the entry): in RocksDB
     * by default, or in memory ({@code state.store}); cached and changelogged either way. Side by side
     * in bench monitor the two kinds are equally fast within the noise (README). Under exactly-once a
     * crash restores from the changelogs either way; small compacted segments keep that restore short.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> stateStore(String name, Serde<V> values, MonitorConfig config) {
        return Stores.keyValueStoreBuilder(config.stateInMemory() ? Stores.inMemoryKeyValueStore(name)
                                : Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingEnabled()
                .withLoggingEnabled(Map.of(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MonitorStreamsProperties.maxStateBytes(config)),
                        TopicConfig.SEGMENT_BYTES_CONFIG, Long.toString(stateSegmentBytes(config)),
                        TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1"));
    }

    /**
     * Changelog segment size of {@code run-state} and {@code run-examples}: only closed segments compact, so this bounds a
     * restore's uncompacted tail; at least 64 MiB, and room for two of the largest states (a record
     * larger than a segment is refused by the broker).
     */
    static long stateSegmentBytes(MonitorConfig config) {
        return Math.min(Integer.MAX_VALUE, Math.max(64L << 20, 2L * MonitorStreamsProperties.maxStateBytes(config)));
    }
}
