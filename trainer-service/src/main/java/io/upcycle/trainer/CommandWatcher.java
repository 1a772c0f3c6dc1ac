package io.upcycle.trainer;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.avro.TrainingCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * A consumer thread on the command topic that hands this run's commands to its
 * {@link LearningRateControl}. Like {@link StopDecisionWatcher} it reads every partition from the
 * beginning without a group; {@link #start} returns only once it has applied every command that
 * was already in the log, so a restarted run trains with the rate its commands last set.
 */
public final class CommandWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandWatcher.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<String, TrainingCommand> consumer;
    private final String topic;
    private final String runId;
    private final LearningRateControl control;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private CommandWatcher(KafkaConnection connection, Topic<String, TrainingCommand> topic, String runId,
                           LearningRateControl control) {
        Properties properties = connection.consumerProperties("upcycle-trainer-commands-" + runId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        this.consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.topic = topic.name();
        this.runId = runId;
        this.control = control;
        this.thread = new Thread(this::run, "upcycle-command-watcher-" + runId);
        this.thread.setDaemon(true);
    }

    /** Starts watching; returns once the commands already in the log are applied. */
    public static CommandWatcher start(KafkaConnection connection, Topic<String, TrainingCommand> topic, String runId,
                                       LearningRateControl control) {
        CommandWatcher watcher = new CommandWatcher(connection, topic, runId, control);
        watcher.thread.start();
        try {
            if (!watcher.caughtUp.await(30, TimeUnit.SECONDS) || watcher.failure != null) {
                watcher.close();
                throw new IllegalStateException("could not read topic " + topic.name() + " within 30 s"
                        + (watcher.failure == null ? "" : ": " + watcher.failure.getMessage()), watcher.failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watcher.close();
            throw new IllegalStateException("interrupted while starting the command watcher", e);
        }
        return watcher;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                try {
                    for (ConsumerRecord<String, TrainingCommand> record : consumer.poll(POLL)) {
                        if (record.value() != null && runId.equals(record.value().getRunId())) {
                            control.apply(record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    LOG.warn("skipping undecodable command at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
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
            LOG.error("command watcher for run {} failed; the run no longer takes commands", runId, e);
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
