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
 *   <li>{@code commit.interval.ms} (default 100): under exactly-once, downstream read_committed
 *       consumers see a decision only once its transaction commits.</li>
 *   <li>{@code max.task.idle.ms = 0}: records already on the brokers are processed in timestamp
 *       order across the input topics (what makes a replay see the same interleaving), but the
 *       task does not wait for producers: the runs and checkpoints topics are idle most of the time,
 *       and any wait would be added to every decision's latency.</li>
 *   <li>Producer {@code max.request.size}: the largest state record (a run's state entry, or one
 *       snapshot block of its examples) must fit in one changelog record; the changelog topics get a
 *       matching {@code max.message.bytes}.</li>
 * </ul>
 */
final class MonitorStreamsProperties {
    /** Room for the fixed fields, checkpoints, signal windows and evaluations of a run's state entry. */
    private static final int STATE_OVERHEAD_BYTES = 1 << 20;

    private MonitorStreamsProperties() {
    }

    static Properties of(MonitorConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.connection().bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.commitIntervalMs()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(config.streamThreads()));
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(64L << 20));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(maxStateBytes(config)));
        p.putAll(config.streamsOverrides());
        return p;
    }

    /**
     * The largest state record this configuration can produce: a run's state entry (its per-example
     * arrays live apart, in the {@link ExampleStore}) or one of the example store's entries.
     */
    static int maxStateBytes(MonitorConfig config) {
        return STATE_OVERHEAD_BYTES + ExampleStore.largestEntryBytes();
    }
}
