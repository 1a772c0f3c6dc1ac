package io.upcycle.schemas;

import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.MergeRequested;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TrainingCommand;
import io.upcycle.schemas.registry.RestSchemaRegistryClient;
import io.upcycle.schemas.registry.SchemaRegistryClient;
import io.upcycle.schemas.serde.AvroSerde;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of Upcycle with its serdes: the one registry of the wire. Keys are run ids (plan ids on
 * the merge plans, merge ids on the merge results), plain UTF-8; values are Confluent-framed Avro whose subjects evolve
 * under {@link #COMPATIBILITY}, because a replay reads every historical version.
 */
public final class Topics {
    /** Compatibility level given to every value subject. */
    public static final String COMPATIBILITY = "FULL_TRANSITIVE";

    public static final String RUNS = "upcycle.runs";
    public static final String STEP_METRICS = "upcycle.step-metrics";
    public static final String EXAMPLE_LOSSES = "upcycle.example-losses";
    public static final String CHECKPOINTS = "upcycle.checkpoints";
    public static final String STOP_DECISIONS = "upcycle.stop-decisions";
    /** Merge plans handed to the merger, keyed by plan id. */
    public static final String MERGE_PLANS = "upcycle.merge-plans";
    public static final String MERGE_RESULTS = "upcycle.merge-results";
    public static final String DEAD_LETTERS = "upcycle.dead-letters";
    /** Commands to running trainers (e.g. a new learning rate), keyed by run id. */
    public static final String COMMANDS = "upcycle.commands";
    /**
     * No records: its one partition is the lease that makes one merger of a group the active one
     * (its consumer group assigns the partition to exactly one member).
     */
    public static final String MERGER_LEASE = "upcycle.merger-lease";

    /** The topics the monitor reads, co-partitioned by run id. */
    public static final List<String> MONITOR_INPUTS = List.of(RUNS, EXAMPLE_LOSSES, CHECKPOINTS, STEP_METRICS);

    /** All topic names, in the order the data flows. */
    public static final List<String> NAMES =
            List.of(RUNS, STEP_METRICS, EXAMPLE_LOSSES, CHECKPOINTS, STOP_DECISIONS, MERGE_PLANS, MERGE_RESULTS, DEAD_LETTERS, COMMANDS);

    private final SchemaRegistryClient registry;
    private final Topic<String, RunEvent> runs;
    private final Topic<String, StepMetrics> stepMetrics;
    private final Topic<String, ExampleLosses> exampleLosses;
    private final Topic<String, CheckpointSaved> checkpoints;
    private final Topic<String, StopDecision> stopDecisions;
    private final Topic<String, MergeRequested> mergePlans;
    private final Topic<String, MergeCompleted> mergeResults;
    private final Topic<String, DeadLetter> deadLetters;
    private final Topic<String, TrainingCommand> commands;

    private Topics(SchemaRegistryClient registry) {
        this.registry = registry;
        this.runs = topic(RUNS, RunEvent.getClassSchema());
        this.stepMetrics = topic(STEP_METRICS, StepMetrics.getClassSchema());
        this.exampleLosses = topic(EXAMPLE_LOSSES, ExampleLosses.getClassSchema());
        this.checkpoints = topic(CHECKPOINTS, CheckpointSaved.getClassSchema());
        this.stopDecisions = topic(STOP_DECISIONS, StopDecision.getClassSchema());
        this.mergePlans = topic(MERGE_PLANS, MergeRequested.getClassSchema());
        this.mergeResults = topic(MERGE_RESULTS, MergeCompleted.getClassSchema());
        this.deadLetters = topic(DEAD_LETTERS, DeadLetter.getClassSchema());
        this.commands = topic(COMMANDS, TrainingCommand.getClassSchema());
    }

    /** The topics with serdes bound to the registry of {@code connection}. */
    public static Topics connect(KafkaConnection connection) {
        return new Topics(new RestSchemaRegistryClient(connection.registryUrl(), connection.registry()));
    }

    /** The topics with serdes bound to {@code registry}. */
    public static Topics connect(SchemaRegistryClient registry) {
        return new Topics(registry);
    }

    /**
     * Creates the topics that do not exist yet, and the one-partition {@link #MERGER_LEASE} (see
     * {@link TopicAdmin}: a broker that refuses the connection fails it as {@link AccessCheck} does),
     * then checks that the registry accepts the connection too.
     */
    public static void ensureCreated(KafkaConnection connection, int partitions) {
        TopicAdmin.ensureCreated(connection, NAMES, partitions);
        TopicAdmin.ensureCreated(connection, List.of(MERGER_LEASE), 1);
        AccessCheck.verifyRegistry(connection);
    }

    private <V extends SpecificRecord> Topic<String, V> topic(String name, Schema schema) {
        return new Topic<>(name, Serdes.String(), AvroSerde.<V>of(registry, schema, COMPATIBILITY));
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public Topic<String, RunEvent> runs() {
        return runs;
    }

    public Topic<String, StepMetrics> stepMetrics() {
        return stepMetrics;
    }

    public Topic<String, ExampleLosses> exampleLosses() {
        return exampleLosses;
    }

    public Topic<String, CheckpointSaved> checkpoints() {
        return checkpoints;
    }

    public Topic<String, StopDecision> stopDecisions() {
        return stopDecisions;
    }

    public Topic<String, MergeRequested> mergePlans() {
        return mergePlans;
    }

    public Topic<String, MergeCompleted> mergeResults() {
        return mergeResults;
    }

    public Topic<String, DeadLetter> deadLetters() {
        return deadLetters;
    }

    public Topic<String, TrainingCommand> commands() {
        return commands;
    }

    /** Every topic, in the order of {@link #NAMES}. */
    public List<Topic<String, ? extends SpecificRecord>> all() {
        return List.of(runs, stepMetrics, exampleLosses, checkpoints, stopDecisions, mergePlans, mergeResults, deadLetters, commands);
    }
}
