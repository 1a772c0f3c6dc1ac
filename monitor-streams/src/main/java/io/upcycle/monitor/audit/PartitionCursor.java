package io.upcycle.monitor.audit;

/**
 * One run's records in one partition of a log file during a replay: its reader and its head
 * record, with the timestamp Kafka Streams would give it ({@code EventTimeExtractor}: a record
 * without a valid timestamp takes the cursor's latest time). A run's records carry its own event
 * clock, so within a cursor timestamps only grow; runs sharing a partition do not (each run has its
 * own clock), which is why the replay keeps one cursor per run and partition.
 */
final class PartitionCursor implements AutoCloseable {
    private final LogReader reader;
    private final byte[] key;
    private final int rank;
    private LoggedRecord head;
    private long partitionTime;

    PartitionCursor(LogReader reader, byte[] key, int rank) {
        this.reader = reader;
        this.key = key;
        this.rank = rank;
    }

    /** Moves to the next record; false at the end of the partition. */
    boolean advance() {
        head = reader.next(key);
        if (head != null && head.timestamp() >= 0) {
            partitionTime = Math.max(partitionTime, head.timestamp());
        }
        return head != null;
    }

    LoggedRecord head() {
        return head;
    }

    long timestamp() {
        return head.timestamp() >= 0 ? head.timestamp() : partitionTime;
    }

    /** Tie-break between partitions with equal head timestamps: lower goes first. */
    int rank() {
        return rank;
    }

    int partition() {
        return reader.partitionOf();
    }

    /** The run's key as text, for a stable order between runs with equal head timestamps. */
    String keyText() {
        return key == null ? "" : new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        reader.close();
    }
}
