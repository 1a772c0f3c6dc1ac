package io.upcycle.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How one instance treats its peers' answers when it gathers the run list or forwards a query. */
class PeerQueriesTest {
    private final List<HttpServer> servers = new ArrayList<>();
    private final RunQueries queries = new RunQueries(null, new HostInfo("127.0.0.1", 1), "learned-fraction", java.util.Optional.empty());

    @AfterEach
    void stopPeers() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void shouldListTheRunsOfPeersThatAnswerAndNameThoseThatDoNotWhenSomePeersFail() throws Exception {
        // given one healthy peer, one rebalancing (503), one without the route (404) and one not listening
        HostInfo healthy = peer(200, "[{\"runId\":\"run-a\"},{\"runId\":\"run-b\"}]");
        HostInfo rebalancing = peer(503, "{\"error\":\"state not queryable now\"}");
        HostInfo noRoute = peer(404, "{\"error\":\"unknown\"}");
        HostInfo gone = stopped(peer(200, "[]"));
        ArrayNode out = (ArrayNode) RunJson.MAPPER.readTree("[{\"runId\":\"run-own\"}]");
        // when
        List<String> unavailable = queries.addPeerRuns(out, List.of(healthy, rebalancing, noRoute, gone));
        // then the list holds this instance's and the healthy peer's runs, and names the other three peers
        assertThat(out.findValuesAsText("runId")).containsExactly("run-own", "run-a", "run-b");
        assertThat(unavailable).containsExactly(address(rebalancing), address(noRoute), address(gone));
    }

    @Test
    void shouldSayThePeerIsUnavailableWhenAForwardedQueryGets503() throws Exception {
        // given a peer that is rebalancing
        HostInfo rebalancing = peer(503, "{\"error\":\"the monitor is starting\"}");
        // when / then the forward fails as unavailable (the caller answers 503 + Retry-After, not 502)
        assertThatThrownBy(() -> queries.forward(rebalancing, "/api/runs/x?scope=local"))
                .isInstanceOf(RunQueries.PeerUnavailableException.class)
                .hasMessageContaining(address(rebalancing)).hasMessageContaining("the monitor is starting");
        // and a 404 is no run, not an error
        assertThat(queries.forward(peer(404, "{}"), "/api/runs/x?scope=local")).isNull();
    }

    @Test
    void shouldSeeTheLocalScopeAmongOtherQueryParameters() {
        assertThat(MonitorHttpServer.isLocalScope("scope=local")).isTrue();
        assertThat(MonitorHttpServer.isLocalScope("t=1&scope=local")).isTrue();
        assertThat(MonitorHttpServer.isLocalScope("scope=local&t=1")).isTrue();
        assertThat(MonitorHttpServer.isLocalScope(null)).isFalse();
        assertThat(MonitorHttpServer.isLocalScope("scope=global")).isFalse();
        assertThat(MonitorHttpServer.isLocalScope("xscope=local")).isFalse();
    }

    private HostInfo peer(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        servers.add(server);
        return new HostInfo("127.0.0.1", server.getAddress().getPort());
    }

    private HostInfo stopped(HostInfo host) {
        HttpServer server = servers.remove(servers.size() - 1);
        server.stop(0);
        return host;
    }

    private static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
