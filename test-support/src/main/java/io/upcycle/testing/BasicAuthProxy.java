package io.upcycle.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A registry behind authentication, as a secured cluster's is: an HTTPS server on 127.0.0.1 that
 * answers 401 to a request without the right {@code Authorization: Basic} (or, if given, bearer) header and passes every
 * other one (method, path, query, body, content headers) to the registry behind it. The path is
 * kept, so {@code https://127.0.0.1:PORT/apis/ccompat/v7} reaches {@code UPSTREAM/apis/ccompat/v7}.
 */
public final class BasicAuthProxy implements AutoCloseable {
    private static final List<String> FORWARDED = List.of("Content-Type", "Accept");

    private final HttpsServer server;
    private final String upstream;
    private final List<String> admitted;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    private BasicAuthProxy(HttpsServer server, String upstream, List<String> admitted) {
        this.server = server;
        this.upstream = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
        this.admitted = List.copyOf(admitted);
    }

    /** Starts a proxy to {@code upstream} (scheme, host and port) serving {@code certificates}' key and admitting {@code user}. */
    public static BasicAuthProxy start(String upstream, TestCertificates certificates, String user, String password) {
        return start(upstream, certificates, user, password, null);
    }

    /** As above, also admitting {@code Authorization: Bearer bearerToken} when it is not null. */
    public static BasicAuthProxy start(String upstream, TestCertificates certificates, String user, String password,
                                       String bearerToken) {
        List<String> admitted = new java.util.ArrayList<>(List.of("Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
        if (bearerToken != null) {
            admitted.add("Bearer " + bearerToken);
        }
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(serverContext(certificates)));
            BasicAuthProxy proxy = new BasicAuthProxy(server, upstream, admitted);
            server.createContext("/", proxy::handle);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return proxy;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the registry proxy: " + e.getMessage(), e);
        }
    }

    private static SSLContext serverContext(TestCertificates certificates) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.keyStore())) {
            store.load(in, certificates.password().toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, certificates.password().toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** {@code https://127.0.0.1:PORT}: the upstream's URLs with this origin instead. */
    public String origin() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many requests were refused for want of the right credentials. */
    public int refused() {
        return refused.get();
    }

    /** How many requests were admitted and passed on. */
    public int forwarded() {
        return forwarded.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!admitted.contains(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            forwarded.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : FORWARDED) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type").ifPresent(value -> exchange.getResponseHeaders().add("Content-Type", value));
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
