package io.upcycle.bench.monitor;

/**
 * One measured stream: from the first send until the monitor had applied its last record (its rate),
 * and until the monitor's committed offsets covered it (which waits for the next periodic commit, up
 * to {@code commit.interval.ms} more: a constant per stream, not a cost per record).
 *
 * @param store the monitor's {@code state.store} ({@code memory} or {@code rocksdb})
 * @param examples each run's {@code exampleCount}
 * @param batch examples per losses record
 * @param round which measured round of this store and batch size (1-based; 0: a warm-up)
 * @param losses per-example losses in the stream
 * @param records losses records in the stream
 * @param bytes key and value bytes of those records
 * @param produceSeconds time to hand every record to the producer and have it acknowledged
 * @param seconds first send until the monitor had applied the last step of every run
 * @param committedSeconds first send until the monitor's group had committed offsets past the last record
 * @param changelogBytes bytes the monitor's producer sent to its state stores' changelogs meanwhile: what
 *     keeping its state cost, which the record cache keeps low by merging rewrites of an entry
 * @param cpuSeconds CPU time this process used from the first send until the monitor had applied the last
 *     record ({@link CpuTime}: producer, broker and monitor together)
 * @param streamThreadCpuSeconds the monitor's stream threads' share of it
 */
public record ThroughputResult(String store, int examples, int batch, int round, long losses, long records, long bytes, double produceSeconds,
                               double seconds, double committedSeconds, double changelogBytes,
                               double cpuSeconds, double streamThreadCpuSeconds) {
    public double lossesPerSecond() {
        return losses / seconds;
    }

    public double changelogBytesPerLoss() {
        return changelogBytes / losses;
    }

    public double cpuNanosPerLoss() {
        return cpuSeconds * 1e9 / losses;
    }

    public double streamThreadNanosPerLoss() {
        return streamThreadCpuSeconds * 1e9 / losses;
    }

    public double recordsPerSecond() {
        return records / seconds;
    }
}
