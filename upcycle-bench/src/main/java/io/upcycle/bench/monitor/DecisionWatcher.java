package io.upcycle.bench.monitor;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.avro.StopDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads stop decisions the way a trainer hears them (the trainer's {@code RunTopicWatcher}):
 * read_committed, every partition assigned without a group, fetches that wait up to 500 ms, polls
 * of 50 ms, each value decoded. Notes the {@link System#nanoTime()} at which each run's first
 * decision was read. It starts at the topic's current end.
 */
final class DecisionWatcher implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<String, StopDecision> consumer;
    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
    private final Map<String, StopDecision> decisions = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    DecisionWatcher(KafkaConnection connection, Topic<String, StopDecision> topic) {
        Properties properties = connection.consumerProperties("upcycle-bench-watcher");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before anything is sent
        this.thread = new Thread(this::run, "upcycle-bench-decision-watcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, StopDecision> record : consumer.poll(POLL)) {
                    long now = System.nanoTime();
                    if (record.value() != null) {
                        seenAt.putIfAbsent(record.value().getRunId(), now);
                        decisions.putIfAbsent(record.value().getRunId(), record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** When {@code runId}'s decision was read, or null. */
    Long seenAt(String runId) {
        return seenAt.get(runId);
    }

    StopDecision decision(String runId) {
        return decisions.get(runId);
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
