package io.upcycle.monitor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upcycle.monitor.TopologyNames;
import io.upcycle.monitor.curve.CurveKeys;
import io.upcycle.monitor.curve.CurvePoint;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.avro.StopDecision;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the monitor's stores with Kafka Streams interactive queries, across instances.
 *
 * <p>Each instance holds the runs of the partitions assigned to it. A run's owner is found with
 * {@link KafkaStreams#queryMetadataForKey} on {@code run-state} (all three stores are in the same
 * task, so the owner of one is the owner of all); when another instance owns it, the request is
 * forwarded to that instance's {@code application.server} ({@code host:port} of its HTTP server,
 * which {@code MonitorService} sets to its own address) with {@code scope=local}, which stops
 * forwarding there. The run list asks every instance for its local runs the same way.
 */
final class RunQueries {
    /** Query parameter that makes an instance answer from its own stores only. */
    static final String LOCAL_SCOPE = "scope=local";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String signalName;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The {@code Authorization} header sent to peers (they share this instance's token), if any. */
    private final Optional<String> authorization;

    RunQueries(KafkaStreams streams, HostInfo self, String signalName, Optional<String> authorization) {
        this.streams = streams;
        this.self = self;
        this.signalName = signalName;
        this.authorization = authorization;
    }

    /**
     * The runs of a run list: those of the instances that answered, and the instances that did not
     * ({@code host:port}), so a caller can say the list is partial instead of failing it whole.
     */
    record RunList(ArrayNode runs, List<String> unavailable) {
    }

    /** Every run this instance holds, with {@code all}: every run of every instance that answers. */
    RunList runs(boolean all) {
        ArrayNode out = RunJson.MAPPER.createArrayNode();
        ReadOnlyKeyValueStore<String, StopDecision> decisions = store(TopologyNames.RUN_DECISION_STORE);
        try (KeyValueIterator<String, RunState> runs = this.<String, RunState>store(TopologyNames.RUN_STATE_STORE).all()) {
            runs.forEachRemaining(kv -> out.add(RunJson.summary(kv.value, decisions.get(kv.key), signalName)));
        }
        List<String> unavailable = new ArrayList<>();
        if (all) {
            List<HostInfo> peers = streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
                    .filter(host -> !host.equals(self)).toList();
            unavailable.addAll(addPeerRuns(out, peers));
        }
        return new RunList(out, unavailable);
    }

    /** Adds each peer's local runs to {@code out}; returns the peers that did not answer with a list. */
    List<String> addPeerRuns(ArrayNode out, List<HostInfo> peers) {
        List<String> unavailable = new ArrayList<>();
        for (HostInfo peer : peers) {
            try {
                if (forward(peer, "/api/runs?" + LOCAL_SCOPE) instanceof ArrayNode runs) {
                    out.addAll(runs);
                } else {
                    unavailable.add(address(peer));
                }
            } catch (IOException e) {
                unavailable.add(address(peer));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable.add(address(peer));
            }
        }
        return unavailable;
    }

    /** One run in full, from this instance or (unless {@code localOnly}) from its owner; empty if unknown. */
    Optional<JsonNode> run(String runId, boolean localOnly) throws IOException, InterruptedException {
        if (!localOnly) {
            KeyQueryMetadata owner = streams.queryMetadataForKey(TopologyNames.RUN_STATE_STORE, runId,
                    Serdes.String().serializer());
            HostInfo host = owner.activeHost();
            if (!KeyQueryMetadata.NOT_AVAILABLE.equals(owner) && !host.equals(self)) {
                JsonNode answer = forward(host, "/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8)
                        .replace("+", "%20") + "?" + LOCAL_SCOPE);
                return answer == null ? Optional.empty() : Optional.of(answer);
            }
        }
        RunState state = this.<String, RunState>store(TopologyNames.RUN_STATE_STORE).get(runId);
        if (state == null) {
            return Optional.empty();
        }
        StopDecision decision = this.<String, StopDecision>store(TopologyNames.RUN_DECISION_STORE).get(runId);
        List<CurvePoint> curve = new ArrayList<>();
        try (KeyValueIterator<Bytes, CurvePoint> points = this.<Bytes, CurvePoint>store(TopologyNames.RUN_CURVE_STORE)
                .range(CurveKeys.first(runId), CurveKeys.last(runId))) {
            points.forEachRemaining(kv -> curve.add(kv.value));
        }
        ObjectNode detail = RunJson.detail(state, decision, curve, signalName);
        detail.put("servedBy", address(self));
        return Optional.of(detail);
    }

    private <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
    }

    /**
     * GETs {@code path} from another instance; null on 404. A 503 (the peer is starting or
     * rebalancing) is a {@link PeerUnavailableException}; any other failure an {@link IOException}.
     */
    JsonNode forward(HostInfo host, String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address(host) + path)).timeout(Duration.ofSeconds(5));
        authorization.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() == 503) {
            throw new PeerUnavailableException("instance " + address(host) + " cannot answer now (503): " + response.body());
        }
        if (response.statusCode() != 200) {
            throw new IOException("instance " + address(host) + " answered " + response.statusCode() + " to " + path);
        }
        return RunJson.MAPPER.readTree(response.body());
    }

    private static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    /** The instance a query was forwarded to answered 503: the caller should retry, as for its own 503. */
    static final class PeerUnavailableException extends IOException {
        PeerUnavailableException(String message) {
            super(message);
        }
    }
}
