package io.upcycle.trainer;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.StopDecision;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small consumer thread on the stop-decision topic: when an ENFORCE decision for this run
 * arrives, it raises the run's {@link StopSignal}. OBSERVE decisions are logged and ignored.
 *
 * <p>It reads every partition from the beginning (no group membership, so no rebalance delay and
 * no decision published before it started is missed), commits nothing, and skips a record it
 * cannot decode after logging where it was: the monitor's dead-letter topic is the place for those.
 */
public final class StopDecisionWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopDecisionWatcher.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<String, StopDecision> consumer;
    private final String topic;
    private final String runId;
    private final StopSignal signal;
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private StopDecisionWatcher(KafkaConnection connection, Topic<String, StopDecision> topic, String runId, StopSignal signal) {
        Properties properties = connection.consumerProperties("upcycle-trainer-" + runId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        this.consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.topic = topic.name();
        this.runId = runId;
        this.signal = signal;
        this.thread = new Thread(this::run, "upcycle-stop-watcher-" + runId);
        this.thread.setDaemon(true);
    }

    /** Starts watching for stop decisions of {@code runId}; returns once the consumer has its partitions. */
    public static StopDecisionWatcher start(KafkaConnection connection, Topic<String, StopDecision> topic, String runId,
                                            StopSignal signal) {
        StopDecisionWatcher watcher = new StopDecisionWatcher(connection, topic, runId, signal);
        watcher.thread.start();
        try {
            if (!watcher.assigned.await(30, TimeUnit.SECONDS)) {
                watcher.close();
                throw new IllegalStateException("could not read the partitions of topic " + topic.name() + " within 30 s");
            }
            if (watcher.failure != null) {
                throw new IllegalStateException("cannot watch topic " + topic.name() + ": " + watcher.failure.getMessage(),
                        watcher.failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watcher.close();
            throw new IllegalStateException("interrupted while starting the stop-decision watcher", e);
        }
        return watcher;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            assigned.countDown();
            while (running) {
                try {
                    for (ConsumerRecord<String, StopDecision> record : consumer.poll(POLL)) {
                        handle(record);
                    }
                } catch (RecordDeserializationException e) {
                    LOG.warn("skipping undecodable stop decision at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("stop-decision watcher for run {} failed; the run can no longer be stopped from Kafka", runId, e);
        } finally {
            assigned.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, StopDecision> record) {
        StopDecision decision = record.value();
        if (decision == null || !runId.equals(decision.getRunId())) {
            return;
        }
        if (decision.getMode() == DecisionMode.ENFORCE) {
            LOG.info("run {}: stop decision {} ({}) at step {}: {}", runId, decision.getDecisionId(), decision.getPolicy(),
                    decision.getDecidedAtStep(), decision.getReason());
            signal.request(decision.getDecisionId());
        } else {
            LOG.info("run {}: {} decision {} noted, training on", runId, decision.getMode(), decision.getDecisionId());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
