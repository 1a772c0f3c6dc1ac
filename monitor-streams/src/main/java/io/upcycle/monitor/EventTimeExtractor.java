package io.upcycle.monitor;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of an input record: the timestamp its producer set. A record without a valid one
 * takes the partition's stream time instead (0 before any), which is as deterministic as the
 * log itself, rather than failing the application or being dropped.
 */
final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long timestamp = record.timestamp();
        return timestamp >= 0 ? timestamp : Math.max(partitionTime, 0);
    }
}
