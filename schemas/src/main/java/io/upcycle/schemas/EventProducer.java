package io.upcycle.schemas;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.upcycle.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One idempotent, acks=all producer for every topic: each send serializes with that topic's own
 * serdes. Sends are asynchronous; {@link #flush()} or {@link #close()} waits for them, and a send
 * the broker refused fails the next of them, naming the topic: a caller that does not look at the
 * returned future still learns that a record was lost.
 */
public final class EventProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConnection connection;
    private final AtomicReference<KafkaException> failed = new AtomicReference<>();

    public EventProducer(KafkaConnection connection) {
        this.connection = connection;
        this.producer = new KafkaProducer<>(connection.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The broker and registry this producer writes to. */
    public KafkaConnection connection() {
        return connection;
    }

    /**
     * Gets ready to send to {@code topics} now rather than on the first send: registers their
     * value schemas and fetches their partitions from the broker. A service calls it before its
     * real work starts, so that the first sends do not compete with that work, and so that an
     * unreachable broker or registry, a missing topic or a schema the registry refuses fails here.
     */
    public void prepare(Collection<? extends Topic<?, ?>> topics) {
        for (Topic<?, ?> topic : topics) {
            if (topic.valueSerde().serializer() instanceof AvroSerializer<?> avro) {
                avro.schemaId(topic.name());
            }
            producer.partitionsFor(topic.name());
        }
    }

    /** Sends {@code value} under {@code key} with an explicit event timestamp; a failure also fails the next flush or close. */
    @CanIgnoreReturnValue
    public <K, V> Future<RecordMetadata> send(Topic<K, V> topic, K key, V value, long timestampMs) {
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return sendRaw(topic.name(), keyBytes, valueBytes, timestampMs);
    }

    /** Sends raw bytes; for tools that copy or replay records. A failure also fails the next flush or close. */
    @CanIgnoreReturnValue
    public Future<RecordMetadata> sendRaw(String topic, byte[] key, byte[] value, long timestampMs) {
        return producer.send(new ProducerRecord<>(topic, null, timestampMs, key, value), (written, e) -> {
            if (e != null) {
                failed.compareAndSet(null, new KafkaException("a record sent to " + topic + " was not written: " + e.getMessage(), e));
            }
        });
    }

    /** Waits until every send so far is acknowledged; throws the first send that failed since the last check. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    /** Waits for the sends, releases the producer; throws the first send that failed and was not reported yet. */
    @Override
    public void close() {
        producer.close();
        throwIfFailed();
    }

    /**
     * Drops every record not yet acknowledged and releases the producer at once: after a record of a
     * sequence failed, none after it may be written, or the log would have a gap. Later sends fail.
     */
    public void abort() {
        producer.close(Duration.ZERO);
    }

    private void throwIfFailed() {
        KafkaException e = failed.getAndSet(null);
        if (e != null) {
            throw e;
        }
    }
}
