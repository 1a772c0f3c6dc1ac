package io.upcycle.monitor;

import io.upcycle.monitor.state.ExampleStore;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TrainingCommand;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import io.upcycle.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One {@link TopologyTestDriver} on the monitor's topology, with typed input and output topics
 * whose serdes share an in-memory schema registry with the topology. One per test.
 */
public final class MonitorHarness implements AutoCloseable {
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    public final Topics topics = Topics.connect(registry);
    final MonitorConfig config;
    /** The losses records the topology met, which it replays a run's arrays from. */
    final LossesLog.Factory lossesLogs = LossesLog.inMemory();
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, RunEvent> runs;
    final TestInputTopic<String, ExampleLosses> losses;
    final TestInputTopic<String, CheckpointSaved> checkpoints;
    final TestInputTopic<String, StepMetrics> stepMetrics;
    final TestOutputTopic<String, StopDecision> decisions;
    public final TestOutputTopic<byte[], DeadLetter> deadLetters;
    final TestOutputTopic<String, TrainingCommand> commands;

    public MonitorHarness(Path stateDir, Map<String, String> overrides) {
        this(config(stateDir, overrides));
    }

    MonitorHarness(MonitorConfig config) {
        this(config, null);
    }

    /** A harness whose topology reads schemas through {@code topologyRegistry} applied to the in-memory one (null: that one). */
    MonitorHarness(MonitorConfig config, UnaryOperator<SchemaRegistryClient> topologyRegistry) {
        this.config = config;
        Topics topologyTopics = topologyRegistry == null ? topics : Topics.connect(topologyRegistry.apply(registry));
        this.driver = new TopologyTestDriver(MonitorTopology.build(config, topologyTopics, lossesLogs), config.streamsProperties());
        StringSerializer keys = new StringSerializer();
        this.runs = driver.createInputTopic(Topics.RUNS, keys, topics.runs().valueSerde().serializer());
        this.losses = driver.createInputTopic(Topics.EXAMPLE_LOSSES, keys, topics.exampleLosses().valueSerde().serializer());
        this.checkpoints = driver.createInputTopic(Topics.CHECKPOINTS, keys, topics.checkpoints().valueSerde().serializer());
        this.stepMetrics = driver.createInputTopic(Topics.STEP_METRICS, keys, topics.stepMetrics().valueSerde().serializer());
        this.decisions = driver.createOutputTopic(Topics.STOP_DECISIONS, new StringDeserializer(),
                topics.stopDecisions().valueSerde().deserializer());
        this.deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new ByteArrayDeserializer(),
                topics.deadLetters().valueSerde().deserializer());
        this.commands = driver.createOutputTopic(Topics.COMMANDS, new StringDeserializer(),
                topics.commands().valueSerde().deserializer());
    }

    static MonitorConfig config(Path stateDir, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put(KafkaConnection.BOOTSTRAP_SERVERS, "127.0.0.1:9");
        values.put(KafkaConnection.REGISTRY_URL, "http://127.0.0.1:9/apis/ccompat/v7");
        values.put(MonitorConfigKeys.STATE_DIR, stateDir.toString());
        values.putAll(overrides);
        return MonitorConfig.from(values);
    }

    /** Raw bytes onto {@code topic}, for records the typed serializers would never write. */
    public TestInputTopic<byte[], byte[]> raw(String topic) {
        return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
    }

    KeyValueStore<String, RunState> store() {
        return driver.getKeyValueStore(TopologyNames.RUN_STATE_STORE);
    }

    /** Keys held by the run-state store (an exact count, unlike {@code approximateNumEntries}). */
    List<String> runIds() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, RunState> all = store().all()) {
            all.forEachRemaining(entry -> ids.add(entry.key));
        }
        return ids;
    }

    /** The run's whole state as the stores hold it: its entry, with its example arrays read from {@code run-examples} and the losses replayed since. */
    public RunState state(String runId) {
        KeyValueStore<String, byte[]> examples = driver.getKeyValueStore(TopologyNames.RUN_EXAMPLES_STORE);
        InputLosses input = new InputLosses(lossesLogs.open(0), topics.exampleLosses().valueSerde().deserializer(), Topics.EXAMPLE_LOSSES);
        return ExampleStore.read(runId, store()::get, ExampleStore.Entries.readOnly(examples::get), input);
    }

    @Override
    public void close() {
        driver.close();
    }
}
