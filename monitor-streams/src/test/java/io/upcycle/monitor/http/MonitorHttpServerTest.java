package io.upcycle.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.upcycle.schemas.RunIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP server's own checks, before any run is looked up (no Kafka Streams behind it: runs answer 503). */
class MonitorHttpServerTest {
    @Test
    void shouldAnswer400ToAMalformedEscapeAndToARunIdBeyondTheLimit() throws IOException {
        try (MonitorHttpServer http = MonitorHttpServer.bind(0)) {
            // when
            Response malformed = get(http, "/api/runs/run%zz");
            Response truncated = get(http, "/api/runs/run%4");
            Response tooLong = get(http, "/api/runs/" + "r".repeat(RunIds.MAX_LENGTH + 1));
            Response tooLongEscaped = get(http, "/api/runs/" + "%41".repeat(RunIds.MAX_LENGTH + 1));
            Response huge = get(http, "/api/runs/" + "r".repeat(6_000));
            Response empty = get(http, "/api/runs/");
            Response atLimit = get(http, "/api/runs/" + "r".repeat(RunIds.MAX_LENGTH));

            // then the bad ones are 400 (a bad escape is refused by the JDK's server before the handler, as a bad URI);
            // a valid id reaches the lookup (503: no streams yet)
            assertThat(malformed.status).isEqualTo(400);
            assertThat(truncated.status).isEqualTo(400);
            assertThat(tooLong.status).isEqualTo(400);
            assertThat(tooLong.error()).contains("201 characters, more than 200");
            assertThat(tooLongEscaped.status).isEqualTo(400);
            assertThat(huge.status).isEqualTo(400);
            assertThat(huge.error()).contains("more than 200 characters");
            assertThat(empty.status).isEqualTo(400);
            assertThat(empty.error()).contains("empty");
            assertThat(atLimit.status).isEqualTo(503);
        }
    }

    @Test
    void shouldDecodeAPlusAsItselfAndRefuseAMalformedEscapeNamingIt() {
        assertThat(MonitorHttpServer.runId("a+b%2Fc")).isEqualTo("a+b/c");
        assertThatThrownBy(() -> MonitorHttpServer.runId("run%zz")).isInstanceOf(MonitorHttpServer.BadRequest.class)
                .hasMessageContaining("malformed percent escape in run id 'run%zz'");
    }

    @Test
    void shouldBindTheNamedAddressAndRefuseAnUnknownOneNamingTheKey() throws IOException {
        try (MonitorHttpServer http = MonitorHttpServer.bind("localhost", 0)) {
            assertThat(InetAddress.getByName(http.hostInfo().host()).isLoopbackAddress()).isTrue();
            assertThat(get(http, "/api/runs").status).isEqualTo(503);
        }
        assertThatThrownBy(() -> MonitorHttpServer.bind("no-such-host.invalid", 0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.bind.address").hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void shouldAnswerTheApiOnlyWithItsBearerTokenWhenOneIsSetAndServeThePageWithout() throws IOException {
        // given a server on loopback with a configured token
        String token = "s3cret-token";
        try (MonitorHttpServer http = MonitorHttpServer.bind(new HttpSettings(0, "127.0.0.1", token))) {
            // when the API is asked without a token, with a wrong one, with a malformed header and with the token
            Response none = get(http, "/api/runs");
            Response wrong = get(http, "/api/runs/a-run", "Bearer not-it");
            Response basic = get(http, "/api/runs", "Basic " + token);
            Response right = get(http, "/api/runs", "Bearer " + token);
            Response page = get(http, "/");

            // then only the token passes (503: no streams behind this server); the refusals say how, without the token
            assertThat(List.of(none.status, wrong.status, basic.status)).containsOnly(401);
            assertThat(none.headers).contains("Www-authenticate: Bearer realm=\"upcycle-monitor\"");
            assertThat(none.error()).contains("bearer token").contains("#token=").doesNotContain(token);
            assertThat(right.status).isEqualTo(503);
            assertThat(page.status).isEqualTo(200);
            assertThat(page.body).contains("<html");
            assertThat(http.access().generatedToken()).isEmpty();
        }
    }

    @Test
    void shouldWarnWhenTheApiListensBeyondLoopbackOnly() throws IOException {
        assertThat(MonitorHttpServer.exposureWarning(InetAddress.getByName("0.0.0.0"), 7070)).get().asString()
                .contains("0.0.0.0 port 7070").contains("bearer token (http.token)").contains("http.bind.address");
        assertThat(MonitorHttpServer.exposureWarning(InetAddress.getByName("10.1.2.3"), 7070)).isPresent();
        assertThat(MonitorHttpServer.exposureWarning(InetAddress.getLoopbackAddress(), 7070)).isEmpty();
        assertThat(MonitorHttpServer.exposureWarning(InetAddress.getByName("::1"), 7070)).isEmpty();
    }

    /** A raw GET, so that paths no URI class would build (a bad escape) reach the server as written. */
    private static Response get(MonitorHttpServer http, String path) throws IOException {
        return get(http, path, null);
    }

    /** A raw GET with an {@code Authorization} header (null: none). */
    private static Response get(MonitorHttpServer http, String path, String authorization) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), http.hostInfo().port())) {
            OutputStream out = socket.getOutputStream();
            String header = authorization == null ? "" : "Authorization: " + authorization + "\r\n";
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + header + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyAt = response.indexOf("\r\n\r\n");
            return new Response(status, response.substring(0, bodyAt), response.substring(bodyAt + 4));
        }
    }

    private record Response(int status, String headers, String body) {
        String error() throws IOException {
            JsonNode json = RunJson.MAPPER.readTree(body);
            return json.path("error").asText();
        }
    }
}
