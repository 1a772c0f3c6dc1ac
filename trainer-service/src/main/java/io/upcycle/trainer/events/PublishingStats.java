package io.upcycle.trainer.events;

/**
 * Counters of one {@link KafkaTrainingEvents}: what the broker acknowledged and the back-pressure
 * the training thread felt. Back-pressure is visible here rather than hidden as dropped events.
 *
 * @param records records acknowledged by the broker
 * @param bytes serialized key and value bytes of those records (Confluent wire format, no headers)
 * @param queueWaits hand-overs that found the bounded queue full and waited
 * @param queueWaitNanos total time spent waiting on the full queue
 * @param peakQueued the most events queued at once
 * @param queueCapacity the bound of the queue
 */
public record PublishingStats(long records, long bytes, long queueWaits, long queueWaitNanos, int peakQueued,
                              int queueCapacity) {
}
