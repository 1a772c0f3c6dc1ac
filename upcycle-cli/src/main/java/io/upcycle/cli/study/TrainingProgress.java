package io.upcycle.cli.study;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.StepMetrics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A line every {@code every} while a group of experts trains: steps done of the group's budget
 * (every run's steps, a run that ended counting as its whole budget) and the time left at the rate
 * so far. It reads the runs' step metrics and ends from the log, as any tool could, from where the
 * log stood when it started. In an enforce pass the runs stop early: the time left is an upper bound.
 */
final class TrainingProgress implements AutoCloseable {
    private final Set<String> runs;
    private final long budgetPerRun;
    private final Map<String, Long> steps = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;

    /** Starts following {@code runIds}, each with a budget of {@code budgetPerRun} steps, printing to {@code out}. */
    TrainingProgress(KafkaConnection connection, List<String> runIds, long budgetPerRun, PrintStream out, Duration every) {
        this.runs = new HashSet<>(runIds);
        this.budgetPerRun = budgetPerRun;
        Properties properties = connection.consumerProperties("unused");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.STEP_METRICS, Topics.RUNS)) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // from here on, before any of the group's steps
        Topics topics = Topics.connect(connection);
        long started = System.nanoTime();
        this.thread = new Thread(() -> follow(topics, out, every, started), "upcycle-study-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(Topics topics, PrintStream out, Duration every, long started) {
        var metrics = topics.stepMetrics().valueSerde().deserializer();
        var events = topics.runs().valueSerde().deserializer();
        long nextLine = started + every.toNanos();
        try {
            while (!closed.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() == null || !runs.contains(record.key())) {
                        continue;
                    }
                    try {
                        if (record.topic().equals(Topics.STEP_METRICS)) {
                            StepMetrics step = metrics.deserialize(record.topic(), record.value());
                            steps.merge(record.key(), step.getStep(), Math::max);
                        } else if (events.deserialize(record.topic(), record.value()).getEvent() instanceof RunEnded) {
                            steps.put(record.key(), budgetPerRun);
                        }
                    } catch (SerializationException e) {
                        // not this tool's to judge: the monitor dead-letters it
                    }
                }
                long now = System.nanoTime();
                if (now >= nextLine && !closed.get()) {
                    long done = steps.values().stream().mapToLong(s -> Math.min(s, budgetPerRun)).sum();
                    out.println("      " + line(done, budgetPerRun * runs.size(), Duration.ofNanos(now - started)));
                    nextLine = now + every.toNanos();
                }
            }
        } catch (WakeupException e) {
            // closed
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** {@code 1,024 of 4,096 steps (25%), 1m00s so far, about 3m00s left}; no estimate before the first step. */
    static String line(long done, long total, Duration elapsed) {
        String head = String.format(Locale.ROOT, "%,d of %,d steps (%d%%), %s so far", done, total, total == 0 ? 0 : 100 * done / total,
                clock(elapsed));
        if (done <= 0 || done >= total) {
            return head;
        }
        Duration left = Duration.ofNanos((long) ((double) elapsed.toNanos() * (total - done) / done));
        return head + ", about " + clock(left) + " left";
    }

    private static String clock(Duration d) {
        long seconds = Math.round(d.toMillis() / 1000.0);
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    @Override
    public void close() throws InterruptedException {
        if (closed.compareAndSet(false, true)) {
            consumer.wakeup();
            thread.join(10_000);
        }
    }
}
