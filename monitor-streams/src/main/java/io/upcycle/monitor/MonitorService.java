package io.upcycle.monitor;

import io.upcycle.monitor.http.MonitorHttpServer;
import io.upcycle.monitor.state.ExampleStore;
import io.upcycle.monitor.state.LossesReplay;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the monitor: creates missing topics, checks that the inputs are co-partitioned, starts
 * Kafka Streams on {@link MonitorTopology}
 * with exactly-once processing, serves its live state and dashboard over HTTP
 * ({@link MonitorHttpServer}), and hands back a handle to watch and stop it. {@link MonitorCommand}
 * is {@code upcycle monitor}; it prints the dashboard's URL.
 */
public final class MonitorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorService.class);

    private final KafkaStreams streams;
    private final Topics topics;
    /** How the replays of a run's losses read the input: as Kafka Streams' restore consumers do. */
    private final Map<String, Object> replayConsumer;
    private final MonitorHttpServer http;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    private MonitorService(MonitorConfig config) {
        Topics.ensureCreated(config.connection(), config.topicPartitions());
        InputPartitions.requireCoPartitioned(config.connection());
        // The HTTP server is bound first: its address is this instance's application.server.
        this.http = config.http().enabled() ? MonitorHttpServer.bind(config.http()) : null;
        Properties properties = config.streamsProperties();
        if (http != null) {
            properties.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, http.hostInfo().host() + ":" + http.hostInfo().port());
        }
        this.topics = Topics.connect(config.connection());
        this.replayConsumer = new StreamsConfig(properties).getRestoreConsumerConfigs(config.applicationId() + "-losses-replay");
        try {
            this.streams = new KafkaStreams(MonitorTopology.build(config, topics,
                    KafkaLossesLog.factory(replayConsumer, topics.exampleLosses().name())), properties);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            throw e;
        }
        if (http != null) {
            http.serve(streams, config.policy().signalName());
        }
        streams.setUncaughtExceptionHandler(new ThreadFailureHandler(Clock.systemUTC(), config.connection().registryUrl(),
                config.connection().outageWait()));
        streams.setStateListener((now, before) -> {
            LOG.info("monitor {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                LOG.info("monitor active tasks {} (standby {})", tasks(ThreadMetadata::activeTasks), tasks(ThreadMetadata::standbyTasks));
                running.countDown();
            }
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
    }

    /** The ids of this instance's tasks of one kind (e.g. [0_0, 0_2]): which partitions of the runs it watches. */
    private List<String> tasks(Function<ThreadMetadata, Set<TaskMetadata>> kind) {
        return streams.metadataForLocalThreads().stream().flatMap(t -> kind.apply(t).stream())
                .map(t -> t.taskId().toString()).sorted().toList();
    }

    /** Starts the monitor; returns at once, see {@link #awaitRunning(Duration)}. */
    public static MonitorService start(MonitorConfig config) {
        MonitorService service = new MonitorService(config);
        LOG.info("starting monitor {} on {} (policy {} v{} {}, mode {})", config.applicationId(),
                config.connection().bootstrapServers(), config.policy().name(), config.policy().version(),
                config.policy().parameters(), config.decisionMode());
        service.streams.start();
        return service;
    }

    /** Waits until the monitor has joined its group and processes; false on timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Blocks until the monitor stops (closed, or shut down after a fatal error). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * The live state of a run held by this instance (interactive query), if it holds it: its entry, its
     * arrays' snapshot and a replay of its losses records since, read from the broker.
     */
    public Optional<RunState> runState(String runId) {
        ReadOnlyKeyValueStore<String, RunState> states = streams.store(StoreQueryParameters.fromNameAndType(
                TopologyNames.RUN_STATE_STORE, QueryableStoreTypes.<String, RunState>keyValueStore()));
        ReadOnlyKeyValueStore<String, byte[]> examples = streams.store(StoreQueryParameters.fromNameAndType(
                TopologyNames.RUN_EXAMPLES_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        return Optional.ofNullable(ExampleStore.read(runId, states::get, ExampleStore.Entries.readOnly(examples::get), this::replay));
    }

    /** Replays a run's losses records from its partition of the losses topic, with a consumer of its own. */
    private void replay(String runId, long from, long to, LossesReplay.Visitor visitor) {
        String topic = topics.exampleLosses().name();
        try (LossesLog log = KafkaLossesLog.ofRun(replayConsumer, topic, runId)) {
            new InputLosses(log, topics.exampleLosses().valueSerde().deserializer(), topic).forEach(runId, from, to, visitor);
        }
    }

    /** Steps of a run this instance has applied (0 for a run it does not hold), read from its entry alone: cheap at any run size. */
    public long stepsObserved(String runId) {
        RunState state = entry(runId);
        return state == null ? 0 : state.stepsObserved();
    }

    /** Losses records of a run applied since its arrays' last snapshot (0 for a run it does not hold): what reading it whole replays. */
    public long pendingRecords(String runId) {
        RunState state = entry(runId);
        return state == null ? 0 : state.pendingRecords();
    }

    /** The run's entry alone (no per-example arrays), or null for a run this instance does not hold. */
    private RunState entry(String runId) {
        return streams.store(StoreQueryParameters.fromNameAndType(TopologyNames.RUN_STATE_STORE,
                QueryableStoreTypes.<String, RunState>keyValueStore())).get(runId);
    }

    /**
     * Bytes this instance's producers have sent so far, by topic (record bytes before compression, as
     * the producer counts them): its changelogs show what keeping its state costs.
     */
    public Map<String, Double> producedBytesByTopic() {
        Map<String, Double> bytes = new TreeMap<>();
        streams.metrics().forEach((name, metric) -> {
            if (name.group().equals("producer-topic-metrics") && name.name().equals("byte-total")
                    && metric.metricValue() instanceof Double value) {
                bytes.merge(name.tags().get("topic"), value, Double::sum);
            }
        });
        return bytes;
    }

    /** The dashboard's address ({@code /} of the live JSON API), unless {@code http.port} is -1. */
    public Optional<String> dashboardUrl() {
        return Optional.ofNullable(http).map(MonitorHttpServer::url);
    }

    /**
     * The dashboard's address to print once at start: with {@code #token=...} when the token was
     * generated here (nobody else knows it); without it otherwise.
     */
    public Optional<String> dashboardUrlToPrint() {
        return Optional.ofNullable(http).map(h -> h.url() + h.access().generatedToken().map(t -> "#token=" + t).orElse(""));
    }

    /** Stops processing, commits and leaves the group (waits up to 30 s), then stops the HTTP server. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (http != null) {
            http.close();
        }
    }
}
