package io.upcycle.merger;

import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the stop decisions of a {@link MergePlan}'s runs (read_committed), and when every run
 * has one, merges their chosen checkpoints with a {@link MergeRunner} and publishes
 * {@code MergeCompleted}. It commits no offsets: each start replays the decisions from the
 * beginning, which rebuilds the plan's progress; within one process a plan is merged once.
 */
public final class MergerService {
    /** Application name on dead letters. */
    public static final String APPLICATION = "upcycle-merger";
    private static final Logger LOG = LoggerFactory.getLogger(MergerService.class);

    /** Where a finished merge's event goes (Kafka in production, a list in tests). */
    @FunctionalInterface
    public interface ResultSink {
        void publish(MergeCompleted event);
    }

    private final MergerConfig config;
    private final MergeRunner runner;
    private final ResultSink sink;
    private final PlanProgress progress;

    public MergerService(MergerConfig config, MergeRunner runner, ResultSink sink) {
        this.config = config;
        this.runner = runner;
        this.sink = sink;
        this.progress = new PlanProgress(config.plan());
    }

    /** A sink that sends to the merge-results topic, keyed by merge id, and waits for the acknowledgement. */
    public static ResultSink kafkaSink(EventProducer producer, Topics topics) {
        return event -> {
            try {
                producer.send(topics.mergeResults(), event.getMergeId(), event, System.currentTimeMillis()).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing merge " + event.getMergeId(), e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot publish merge " + event.getMergeId() + ": " + e.getCause(), e.getCause());
            }
        };
    }

    /**
     * Takes one decision into account; when it completes the plan, merges, publishes and returns
     * the result. A checkpoint that fails verification propagates as a {@code CheckpointException}.
     */
    public synchronized Optional<MergeResult> accept(StopDecision decision) {
        PlanProgress.Outcome outcome = progress.offer(decision);
        LOG.info("stop decision {} of run {}: {}", decision.getDecisionId(), decision.getRunId(), outcome);
        if (outcome != PlanProgress.Outcome.COMPLETED) {
            return Optional.empty();
        }
        MergeResult result = runner.run(config.plan(), progress.experts());
        sink.publish(result.event());
        progress.markMerged();
        LOG.info("plan {} merged as {} (lambda {}), output {}", config.plan().planId(), result.event().getMergeId(),
                result.lambda(), result.output().uri());
        return Optional.of(result);
    }

    /** Runs of the plan that have no usable decision yet. */
    public synchronized List<String> missingRuns() {
        return progress.missing();
    }

    /**
     * Consumes stop decisions until the plan is merged or {@code wait} has passed. Undecodable
     * records are dead-lettered with their origin and skipped.
     */
    public Optional<MergeResult> runOnce(Topics topics, EventProducer producer, Duration wait) {
        Properties properties = config.connection().consumerProperties(config.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var topic = topics.stopDecisions();
        try (KafkaConsumer<String, StopDecision> consumer = new KafkaConsumer<>(properties,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    for (ConsumerRecord<String, StopDecision> record : consumer.poll(Duration.ofMillis(200))) {
                        Optional<MergeResult> result = accept(record.value());
                        if (result.isPresent()) {
                            return result;
                        }
                    }
                } catch (RecordDeserializationException e) {
                    deadLetter(topics, producer, e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        return Optional.empty();
    }

    private static void deadLetter(Topics topics, EventProducer producer, RecordDeserializationException e) {
        LOG.warn("undecodable stop decision at {}-{}@{}: {}", e.topicPartition().topic(), e.topicPartition().partition(),
                e.offset(), e.getMessage());
        producer.send(topics.deadLetters(), null, DeadLetters.of(e.topicPartition().topic(), e.topicPartition().partition(),
                e.offset(), e.timestamp(), bytes(e.keyBuffer()), bytes(e.valueBuffer()), DeadLetters.DESERIALIZATION,
                e.getCause() == null ? e : e.getCause(), APPLICATION), e.timestamp());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
