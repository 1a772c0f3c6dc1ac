package io.upcycle.merger.service;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which merger of a group merges: the one its consumer group assigns the single partition of
 * {@link Topics#MERGER_LEASE}. Every instance reads every plan and decision, so the active one
 * sees all runs of a plan whatever their partitions, and a plan fires once; the others stand by.
 * A killed active merger loses the lease after {@code lease.timeout.ms}, and a standby takes over,
 * reading the merge results first, so that a plan merged before is not merged again. A thread of
 * its own polls, so that a long merge does not lose the lease.
 */
final class MergerLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MergerLease.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String groupId;
    private final Thread thread;
    private final Object change = new Object();
    private volatile boolean held;
    private volatile boolean running = true;

    private MergerLease(KafkaConnection connection, String groupId, Duration timeout) {
        Properties properties = connection.consumerProperties(groupId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(500, timeout.toMillis() / 4)));
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.groupId = groupId;
        this.thread = new Thread(this::poll, "upcycle-merger-lease-" + groupId);
        this.thread.setDaemon(true);
    }

    /** Joins the group of {@code groupId} for the lease; {@link #awaitHeld} says when this instance is the active one. */
    static MergerLease join(KafkaConnection connection, String groupId, Duration timeout) {
        MergerLease lease = new MergerLease(connection, groupId, timeout);
        lease.thread.start();
        return lease;
    }

    private void poll() {
        try {
            consumer.subscribe(List.of(Topics.MERGER_LEASE), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    lose(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    lose(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        LOG.info("this merger holds the lease of group {}: it merges", groupId);
                        setHeld(true);
                    }
                }
            });
            while (running) {
                consumer.poll(Duration.ofMillis(200));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the lease consumer of group {} failed; this merger no longer merges", groupId, e);
            setHeld(false);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void lose(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty() && held) {
            setHeld(false);
            if (running) {
                LOG.warn("this merger lost the lease of group {} (another instance took it, or its session expired)", groupId);
            } else {
                LOG.info("this merger released the lease of group {}", groupId);
            }
        }
    }

    private void setHeld(boolean now) {
        synchronized (change) {
            held = now;
            change.notifyAll();
        }
    }

    /** Waits until this instance holds the lease; false if {@code timeout} passed first (another merger is active). */
    boolean awaitHeld(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (change) {
            while (!held) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                change.wait(left);
            }
            return true;
        }
    }

    /** Whether this instance holds the lease now. */
    boolean held() {
        return held;
    }

    /** Leaves the group at once: a standby takes over without waiting for the lease to time out. */
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
