package io.upcycle.monitor;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The raw records of one partition of the losses topic, read back in offset order: what a run's
 * example arrays are replayed from since their snapshot ({@link InputLosses}). The monitor reads
 * them from the broker ({@link KafkaLossesLog}); an audit replay and tests, whose input passes
 * through the process once, keep them in memory ({@link #inMemory()}).
 */
public interface LossesLog extends AutoCloseable {
    /** The processor met the losses record at {@code offset}: a log kept in memory keeps it, one on a broker has it already. */
    void processed(long offset, byte[] key, byte[] value);

    /** Calls {@code visitor} with each record at offsets {@code from} to {@code to}, both included, in offset order. */
    void read(long from, long to, Visitor visitor);

    @Override
    void close();

    /** One raw record. */
    @FunctionalInterface
    interface Visitor {
        void accept(long offset, byte[] key, byte[] value);
    }

    /** Opens the log of one partition (one per task). */
    @FunctionalInterface
    interface Factory {
        LossesLog open(int partition);
    }

    /**
     * Logs kept in memory, one per partition, holding every losses record the processor met: for a
     * topology whose whole input passes through this process (an audit replay, a test driver).
     */
    static Factory inMemory() {
        Map<Integer, NavigableMap<Long, byte[][]>> partitions = new ConcurrentHashMap<>();
        return partition -> {
            NavigableMap<Long, byte[][]> records = partitions.computeIfAbsent(partition, p -> new TreeMap<>());
            return new LossesLog() {
                @Override
                public void processed(long offset, byte[] key, byte[] value) {
                    synchronized (records) {
                        records.put(offset, new byte[][] {key, value});
                    }
                }

                @Override
                public void read(long from, long to, Visitor visitor) {
                    synchronized (records) {
                        records.subMap(from, true, to, true).forEach((offset, record) -> visitor.accept(offset, record[0], record[1]));
                    }
                }

                @Override
                public void close() {
                    // the records stay: a task opened again replays from them
                }
            };
        };
    }
}
