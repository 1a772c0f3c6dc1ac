package io.upcycle.monitor;

import io.upcycle.monitor.state.ExampleStore;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of a {@link MonitorConfig}, with the reasons for each choice.
 *
 * <ul>
 *   <li>{@code exactly_once_v2}: outputs, state changelog and input offsets commit together, so a
 *       crash neither loses nor repeats a decision.</li>
 *   <li>{@code commit.interval.ms} (default 1000): under exactly-once, downstream read_committed
 *       consumers see an output only once its transaction commits. What a trainer waits for does
 *       not wait for the interval: the record that yields a stop decision or a training command
 *       requests a commit at once ({@code RunMonitorProcessor}). Everything else (state changelog,
 *       input offsets, dead letters) commits once a second: a commit costs several broker round
 *       trips, so at 100 ms the monitor spent much of its time committing (bench monitor, 2 cores:
 *       RocksDB store 0.88 M losses/s at batch 64 and 2.0 M at 1024 with 100 ms, 1.11 M and 4.9 M
 *       with 1000 ms, measured back to back), and with four trainers training beside it the extra commits of
 *       the decisions then made the monitor fall behind.</li>
 *   <li>{@code max.task.idle.ms = 0}: records already on the brokers are processed in timestamp
 *       order across the input topics (what makes a replay see the same interleaving), but the
 *       task does not wait for producers: the runs and checkpoints topics are idle most of the time,
 *       and any wait would be added to every decision's latency.</li>
 *   <li>Producer {@code transaction.timeout.ms}: at least twice the commit interval (see
 *       {@link #transactionTimeoutMs}).</li>
 *   <li>The connection's Kafka client settings ({@code security.protocol}, {@code sasl.*}, ...: a
 *       secured cluster's) go to every client of the app; {@code streams.*} keys come last and win.</li>
 *   <li>Producer {@code batch.size} 256 kB (the client's default is 16 kB): a run of a million
 *       examples changes examples the cache cannot merge, so its changelog carries about 7 MB/s at
 *       1 M losses/s. In 16 kB batches, five requests in flight, that took the producer longer than
 *       the commit interval, and each commit's flush waited for it: 4.7-5.5 s of a 16 M-loss stream
 *       (JFR, bench monitor, 2 cores), against 0.6-0.8 s with 256 kB batches. A {@code batch.size} in
 *       the client config wins.</li>
 *   <li>Producer {@code max.request.size}: the largest state record (a run's state entry, or one
 *       snapshot block of its examples) must fit in one changelog record; the changelog topics get a
 *       matching {@code max.message.bytes}.</li>
 * </ul>
 */
final class MonitorStreamsProperties {
    /** Room for the fixed fields, checkpoints, signal windows and evaluations of a run's state entry. */
    private static final int STATE_OVERHEAD_BYTES = 1 << 20;
    /** The producer's batch per partition: see the class comment. */
    static final int PRODUCER_BATCH_BYTES = 256 << 10;
    private static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

    private MonitorStreamsProperties() {
    }

    static Properties of(MonitorConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.connection().bootstrapServers());
        p.putAll(config.connection().client().all()); // Streams hands each setting to the clients that know it
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.commitIntervalMs()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(config.streamThreads()));
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(64L << 20));
        if (!p.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) { // a client config's own batch.size wins
            p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(PRODUCER_BATCH_BYTES));
        }
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(maxStateBytes(config)));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), Long.toString(transactionTimeoutMs(config)));
        p.putAll(config.streamsOverrides());
        return p;
    }

    /**
     * Kafka Streams' 10 s under exactly-once, or twice the commit interval when that is longer: a
     * transaction stays open for a whole interval, and Kafka Streams refuses to start with a timeout
     * below it.
     */
    static long transactionTimeoutMs(MonitorConfig config) {
        return Math.max(DEFAULT_TRANSACTION_TIMEOUT_MS, 2 * config.commitIntervalMs());
    }

    /**
     * The largest state record this configuration can produce: a run's state entry (its per-example
     * arrays live apart, in the {@link ExampleStore}) or one of the example store's entries.
     */
    static int maxStateBytes(MonitorConfig config) {
        return STATE_OVERHEAD_BYTES + ExampleStore.largestEntryBytes();
    }
}
