package io.upcycle.monitor.audit;

/**
 * One partition of a log file during a replay: its reader and its head record, with the timestamp
 * Kafka Streams would give it ({@code EventTimeExtractor}: a record without a valid timestamp
 * takes the partition's time).
 */
final class PartitionCursor implements AutoCloseable {
    private final LogReader reader;
    private final int rank;
    private LoggedRecord head;
    private long partitionTime;

    PartitionCursor(LogReader reader, int rank) {
        this.reader = reader;
        this.rank = rank;
    }

    /** Moves to the next record; false at the end of the partition. */
    boolean advance() {
        head = reader.next();
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

    @Override
    public void close() {
        reader.close();
    }
}
