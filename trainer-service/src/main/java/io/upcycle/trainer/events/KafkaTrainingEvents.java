package io.upcycle.trainer.events;

import static io.upcycle.schemas.KafkaConnection.OUTAGE_WAIT_MS;

import io.upcycle.schemas.Backoff;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run's events to Kafka, keyed by run id, through the schemas module's idempotent
 * {@link EventProducer}.
 *
 * <p>The training thread only enqueues ({@link PublisherThread}): one publisher thread serializes
 * and sends, in call order, because even an asynchronous {@code send} can block (first contact
 * with the registry, topic metadata, a full buffer). The queue is bounded, so a broker that falls
 * far behind slows the loop down instead of losing events or memory.
 *
 * <p>A broker outage is ridden out: records wait in the producer's buffer (in order, never doubled:
 * the producer is idempotent) and a send that finds the buffer full is tried again, with a log line
 * saying what it waits for, so the queue fills and the training loop waits. Once a record fails
 * ({@code outage.wait.ms} passed), nothing after it is sent: the producer is aborted, so the log keeps
 * every step up to the failure and none after it, {@link #requireHealthy()} stops the training
 * loop naming the broker, and {@link #flush()} and {@link #close()} throw; a resume continues from
 * the log.
 */
public final class KafkaTrainingEvents implements TrainingEvents {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTrainingEvents.class);
    private static final int QUEUE_CAPACITY = 16_384;

    private final EventProducer producer;
    private final Topics topics;
    private final boolean ownsProducer;
    private final PublisherThread publisher;
    private final Deque<Future<RecordMetadata>> inFlight = new ArrayDeque<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder acknowledgedBytes = new LongAdder();
    private final Backoff brokerWait;

    /**
     * Publishes with {@code producer}, which the caller keeps and closes. Returns once the producer
     * is ready for the run's topics ({@link EventProducer#prepare}), so that training never shares
     * the machine with that one-time start-up, and a broker or registry that cannot be reached fails
     * the run before its first step.
     */
    public KafkaTrainingEvents(EventProducer producer, Topics topics) {
        this(producer, topics, false);
    }

    private KafkaTrainingEvents(EventProducer producer, Topics topics, boolean ownsProducer) {
        this.producer = producer;
        this.topics = topics;
        this.ownsProducer = ownsProducer;
        try {
            producer.prepare(List.of(topics.runs(), topics.stepMetrics(), topics.exampleLosses(), topics.checkpoints()));
        } catch (RuntimeException e) {
            if (ownsProducer) {
                producer.close();
            }
            throw e;
        }
        this.publisher = new PublisherThread("upcycle-event-publisher", QUEUE_CAPACITY);
        KafkaConnection connection = producer.connection();
        this.brokerWait = new Backoff("the broker at " + connection.bootstrapServers() + " to take training events",
                Duration.ofMillis(250), Duration.ofSeconds(5), connection.outageWait(), LOG);
    }

    /** Publishes to the cluster and registry of {@code connection} with a producer of its own. */
    public static KafkaTrainingEvents connect(KafkaConnection connection) {
        return new KafkaTrainingEvents(new EventProducer(connection), Topics.connect(connection), true);
    }

    @Override
    public void onRunStarted(RunStarted started, long timestampMs) {
        publish(topics.runs(), started.getRunId(), RunEvent.newBuilder().setEvent(started).build(), timestampMs);
    }

    @Override
    public void onStep(StepMetrics metrics, ExampleLosses losses, long timestampMs) {
        publish(topics.stepMetrics(), metrics.getRunId(), metrics, timestampMs);
        publish(topics.exampleLosses(), losses.getRunId(), losses, timestampMs);
    }

    @Override
    public void onStepMetrics(StepMetrics metrics, long timestampMs) {
        publish(topics.stepMetrics(), metrics.getRunId(), metrics, timestampMs);
    }

    @Override
    public void onExampleLosses(ExampleLosses losses, long timestampMs) {
        publish(topics.exampleLosses(), losses.getRunId(), losses, timestampMs);
    }

    @Override
    public void onCheckpoint(CheckpointSaved saved, long timestampMs) {
        publish(topics.checkpoints(), saved.getRunId(), saved, timestampMs);
    }

    @Override
    public void onRunEnded(RunEnded ended, long timestampMs) {
        publish(topics.runs(), ended.getRunId(), RunEvent.newBuilder().setEvent(ended).build(), timestampMs);
    }

    /**
     * Throws once an event could not be delivered, naming the broker, so that the training loop stops
     * instead of computing steps the log will not hold.
     */
    @Override
    public void requireHealthy() {
        Throwable first = failure.get();
        if (first != null) {
            throw failed(first);
        }
    }

    private EventPublishingException failed(Throwable first) {
        KafkaConnection connection = producer.connection();
        return new EventPublishingException("training events could not be delivered to the broker at "
                + connection.bootstrapServers() + " within " + OUTAGE_WAIT_MS + " (" + connection.outageWait().toSeconds()
                + " s): " + first.getMessage() + "; nothing after the first lost event was sent, so the log holds the run up to"
                + " it: continue the run with resume=true (upcycle train --resume) once the broker is back", first);
    }

    /** Blocks until every event so far is acknowledged by the broker; throws the first failure. */
    @Override
    public void flush() {
        try {
            publisher.runAndWait(() -> {
                producer.flush();
                while (!inFlight.isEmpty()) {
                    settle(inFlight.pollFirst());
                }
            });
        } catch (RuntimeException e) {
            fail(e);
        }
        Throwable first = failure.get();
        if (first != null) {
            throw failed(first);
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            publisher.close();
            if (ownsProducer) {
                producer.close();
            }
        }
    }

    /** What was delivered so far and how often the training thread waited on the full queue. */
    public PublishingStats stats() {
        return new PublishingStats(acknowledged.sum(), acknowledgedBytes.sum(), publisher.fullWaits(),
                publisher.fullWaitNanos(), publisher.peakPending(), QUEUE_CAPACITY);
    }

    private <V> void publish(Topic<String, V> topic, String key, V value, long timestampMs) {
        publisher.execute(() -> {
            if (failure.get() != null) {
                return; // after a lost event, sending a later one would leave a gap in the log
            }
            send(topic, key, value, timestampMs);
            while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
                settle(inFlight.pollFirst());
            }
        });
    }

    /** Sends one event, trying again while the producer's buffer stays full (a broker outage), until the deadline. */
    private <V> void send(Topic<String, V> topic, String key, V value, long timestampMs) {
        while (true) {
            try {
                inFlight.addLast(producer.send(topic, key, value, timestampMs));
                brokerWait.recovered();
                return;
            } catch (TimeoutException e) {
                try {
                    if (!brokerWait.sleepAfter(e)) {
                        fail(new IllegalStateException("interrupted while waiting for the broker", e));
                        return;
                    }
                } catch (Backoff.DeadlinePassed deadline) {
                    fail(deadline);
                    return;
                }
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
        }
    }

    /** Records the first failure and aborts the producer, so that nothing after the lost event reaches the log. */
    private void fail(Throwable e) {
        if (failure.compareAndSet(null, e)) {
            LOG.error("a training event was not delivered ({}); aborting the producer so that no later event is written"
                    + " after the gap", e.getMessage());
            producer.abort();
        }
    }

    private void settle(Future<RecordMetadata> future) {
        try {
            RecordMetadata metadata = future.get();
            acknowledged.increment();
            acknowledgedBytes.add(Math.max(0, metadata.serializedKeySize()) + Math.max(0, metadata.serializedValueSize()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        } catch (ExecutionException e) {
            fail(e.getCause());
        }
    }
}
