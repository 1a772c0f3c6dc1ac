package io.upcycle.trainer.control;

import io.upcycle.schemas.Backoff;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.registry.RegistryOutage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer thread that hands one run's records of a topic to a handler: the trainer's ear for
 * stop decisions and commands.
 *
 * <p>It reads every partition from the beginning without joining a group (no rebalance delay,
 * nothing published before it started is missed) and commits nothing. {@link #start} returns once
 * the records already in the log are handled, so a restarted run starts in the state its earlier
 * decisions and commands left. A record it cannot decode is logged with its position and skipped:
 * the monitor's dead-letter topic is the place for those. A record it cannot decode because the
 * schema registry is down is never skipped (it may be an enforced stop): the watcher waits, with
 * pauses doubling up to 5 s and a log line saying so, and decodes it again, until
 * {@code outage.wait.ms} has passed; then it fails loudly, naming the registry.
 */
final class RunTopicWatcher<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunTopicWatcher.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long START_TIMEOUT_SECONDS = 30;

    private final KafkaConsumer<String, V> consumer;
    private final String topic;
    private final String runId;
    private final Function<V, String> runIdOf;
    private final Consumer<V> handler;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private final Backoff registryWait;

    private RunTopicWatcher(KafkaConnection connection, Topic<String, V> topic, String runId, Function<V, String> runIdOf,
                            Consumer<V> handler) {
        Properties properties = connection.consumerProperties("upcycle-trainer-" + topic.name() + "-" + runId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // The broker answers a waiting fetch as soon as a transaction commits records to it, so a
        // long wait costs no latency (bench monitor: stop latency p50 ~100 ms with 50 or 500 ms),
        // while a 50 ms wait made every trainer cost the broker 20 empty fetches a second per watcher.
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        this.consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.topic = topic.name();
        this.runId = runId;
        this.runIdOf = runIdOf;
        this.handler = handler;
        this.registryWait = new Backoff("the schema registry at " + connection.registryUrl() + " to read " + topic.name()
                + " for run " + runId, Duration.ofMillis(250), Duration.ofSeconds(5), connection.outageWait(), LOG);
        this.thread = new Thread(this::run, "upcycle-watcher-" + topic.name() + "-" + runId);
        this.thread.setDaemon(true);
    }

    /** Starts handing {@code runId}'s records to {@code handler}; returns once the log so far is handled. */
    static <V> RunTopicWatcher<V> start(KafkaConnection connection, Topic<String, V> topic, String runId,
                                        Function<V, String> runIdOf, Consumer<V> handler) {
        RunTopicWatcher<V> watcher = new RunTopicWatcher<>(connection, topic, runId, runIdOf, handler);
        watcher.thread.start();
        try {
            if (!watcher.caughtUp.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || watcher.failure != null) {
                watcher.close();
                throw new IllegalStateException("could not read topic " + topic.name() + " within " + START_TIMEOUT_SECONDS
                        + " s" + (watcher.failure == null ? "" : ": " + watcher.failure.getMessage()), watcher.failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watcher.close();
            throw new IllegalStateException("interrupted while starting the watcher of " + topic.name(), e);
        }
        return watcher;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(START_TIMEOUT_SECONDS)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                try {
                    for (ConsumerRecord<String, V> record : consumer.poll(POLL)) {
                        if (record.value() != null && runId.equals(runIdOf.apply(record.value()))) {
                            handler.accept(record.value());
                        }
                    }
                    registryWait.recovered();
                } catch (RecordDeserializationException e) {
                    if (RegistryOutage.isOutage(e)) {
                        consumer.seek(e.topicPartition(), e.offset()); // the same record again, once the registry answers
                        if (!registryWait.sleepAfter(new IllegalStateException(RegistryOutage.describe(e)))) {
                            return;
                        }
                        continue;
                    }
                    LOG.warn("skipping undecodable record at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("watcher of {} for run {} failed; the run no longer hears from that topic", topic, runId, e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
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
