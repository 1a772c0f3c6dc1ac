package io.upcycle.monitor;

import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.stack.StackEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real monitor on the embedded stack with its HTTP server on a free port, and a synthetic run
 * published the way the trainer does: 100 examples, 10 more learned per step (up to 98), checkpoints
 * at steps 4 and 8; the default policy decides at step 10.
 */
final class LiveMonitor implements AutoCloseable {
    static final int EXAMPLES = 100;

    final MonitorService monitor;
    final String url;
    private final EventProducer producer;
    private final Topics topics;
    private final HttpClient http = HttpClient.newHttpClient();
    private final long t0 = System.currentTimeMillis();

    LiveMonitor(StackEndpoints stack, Path stateDir, String applicationId) throws InterruptedException {
        this(stack, stateDir, applicationId, Map.of());
    }

    /** A live monitor with {@code more} configuration (e.g. {@code http.token}). */
    LiveMonitor(StackEndpoints stack, Path stateDir, String applicationId, Map<String, String> more) throws InterruptedException {
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Map<String, String> values = new HashMap<>(more);
        values.putAll(Map.of(
                KafkaConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers(),
                KafkaConnection.REGISTRY_URL, connection.registryUrl(),
                MonitorConfigKeys.APPLICATION_ID, applicationId,
                MonitorConfigKeys.STATE_DIR, stateDir.toString(),
                MonitorConfigKeys.HTTP_PORT, "0"));
        this.monitor = MonitorService.start(MonitorConfig.from(values));
        this.producer = new EventProducer(connection);
        this.topics = Topics.connect(connection);
        if (!monitor.awaitRunning(Duration.ofSeconds(60))) {
            close();
            throw new IllegalStateException("monitor did not start");
        }
        this.url = monitor.dashboardUrl().orElseThrow();
    }

    /** Registers the schemas this producer writes, so that it can publish while the registry is down. */
    void registerSchemas() {
        producer.prepare(List.of(topics.runs(), topics.exampleLosses(), topics.checkpoints()));
    }

    /** Publishes {@code run}'s start and steps {@code 1..steps}. */
    void train(String run, int steps) {
        train(run, steps, Set.of());
    }

    /** Publishes {@code run}'s start and steps {@code 1..steps}, except the losses of the steps in {@code lost}. */
    void train(String run, int steps, Set<Integer> lost) {
        train(run, steps, lost, Map.of(), 0);
    }

    /**
     * As {@link #train(String, int, Set)}, the run labelled {@code labels}, its losses {@code lossShift} higher
     * (so that two runs' curves differ).
     */
    void train(String run, int steps, Set<Integer> lost, Map<String, String> labels, float lossShift) {
        RunEvent start = Events.started(run, EXAMPLES);
        ((RunStarted) start.getEvent()).setHyperParameters(labels);
        producer.send(topics.runs(), run, start, t0);
        producer.flush();
        for (int step = 1; step <= steps; step++) {
            if (lost.contains(step)) {
                continue;
            }
            float[] losses = lossValues(step);
            for (int i = 0; i < losses.length; i++) {
                losses[i] += lossShift;
            }
            producer.send(topics.exampleLosses(), run, Events.losses(run, step, Events.range(0, EXAMPLES), losses), t0 + step);
            if (step == 4 || step == 8) {
                producer.send(topics.checkpoints(), run, Events.checkpoint(run, step), t0 + step);
            }
        }
        producer.flush();
    }

    /** The losses of {@code step}: ids below {@code min(98, 10 * step)} learned (0.05), the rest 1 + id / 1000. */
    static float[] lossValues(int step) {
        float[] losses = new float[EXAMPLES];
        int learned = Math.min(98, 10 * step);
        for (int id = 0; id < EXAMPLES; id++) {
            losses[id] = id < learned ? 0.05f : 1f + id / 1000f;
        }
        return losses;
    }

    /** GET {@code path} (relative to the dashboard's URL): status and body. */
    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET {@code path} with {@code Authorization: Bearer token}. */
    HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        producer.close();
        monitor.close();
    }
}
