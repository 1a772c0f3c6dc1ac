package io.upcycle.monitor.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.schemas.RunIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's live view over HTTP, on 127.0.0.1 unless told otherwise (JDK's built-in server, no framework):
 *
 * <ul>
 *   <li>{@code GET /api/runs}: every run (id, task, state running/ended/decided, last step, the
 *       stop signal's last value, decision summary) of every instance; instances that could not
 *       answer are named in the {@value #UNAVAILABLE_HEADER} header (the list is then partial);
 *       {@code ?scope=local}: this instance's runs only;</li>
 *   <li>{@code GET /api/runs/{id}}: one run in full: counters, checkpoints, its curve at every
 *       step, and the decision with its evidence;</li>
 *   <li>{@code GET /}: the dashboard (static HTML and JavaScript from the classpath).</li>
 * </ul>
 *
 * A run id in a path is at most {@link RunIds#MAX_LENGTH} characters after decoding, and its
 * percent escapes must be well formed; anything else is answered 400 naming the problem.
 *
 * <p>Bound at construction (so that the port is known before Kafka Streams is configured with it as
 * {@code application.server}); answers 503 until {@link #serve} hands it the running streams,
 * and while the stores are not queryable (rebalancing).
 */
public final class MonitorHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorHttpServer.class);
    private static final String DASHBOARD = "/io/upcycle/monitor/dashboard/";
    /** Response header of a partial run list: the instances ({@code host:port}, comma-separated) that did not answer. */
    public static final String UNAVAILABLE_HEADER = "Upcycle-Unavailable-Instances";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/dashboard.js", "dashboard.js");

    private final HttpServer server;
    private final ExecutorService workers;
    private final HttpAccess access;
    private volatile RunQueries queries;

    private MonitorHttpServer(HttpServer server, ExecutorService workers, HttpAccess access) {
        this.server = server;
        this.workers = workers;
        this.access = access;
    }

    /** Binds 127.0.0.1:{@code port} (0: any free port), open, and starts answering. */
    public static MonitorHttpServer bind(int port) {
        return bind(new HttpSettings(port, InetAddress.getLoopbackAddress().getHostAddress(), ""));
    }

    /** Binds {@code address}:{@code port} (0: any free port), open on loopback, and starts answering. */
    public static MonitorHttpServer bind(String address, int port) {
        return bind(new HttpSettings(port, address, ""));
    }

    /**
     * Binds the settings' address and port (0: any free port) and starts answering; the API requires
     * the settings' token, or off loopback a generated one ({@link HttpAccess}).
     */
    public static MonitorHttpServer bind(HttpSettings settings) {
        String address = settings.bindAddress();
        int port = settings.port();
        InetAddress bindTo;
        try {
            bindTo = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new ConfigException(MonitorConfigKeys.HTTP_BIND_ADDRESS, address, "not an address of this host (" + e.getMessage() + ")");
        }
        HttpAccess access = HttpAccess.of(settings.token(), bindTo);
        exposureWarning(bindTo, port).ifPresent(LOG::warn);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindTo, port), 0);
            ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "monitor-http");
                t.setDaemon(true);
                return t;
            });
            MonitorHttpServer http = new MonitorHttpServer(server, workers, access);
            server.createContext("/", http::handle);
            server.setExecutor(workers);
            server.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the monitor's API on " + address + ":" + port
                    + " (http.bind.address, http.port; 0 picks a free port, -1 serves nothing)", e);
        }
    }

    /** The warning to log when the API listens on {@code address}: empty for loopback. */
    static Optional<String> exposureWarning(InetAddress address, int port) {
        if (address.isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of("the monitor's API listens on " + address.getHostAddress() + " port " + port + ", not on loopback:"
                + " it answers only requests with its bearer token (http.token), over plain HTTP; keep it inside a private"
                + " network (http.bind.address)");
    }

    /**
     * This server's address, as {@code application.server} names it: the bound address, or this
     * host's name when bound to every address (set {@code streams.application.server} to override).
     */
    public HostInfo hostInfo() {
        InetSocketAddress bound = server.getAddress();
        if (bound.getAddress().isAnyLocalAddress()) {
            try {
                return new HostInfo(InetAddress.getLocalHost().getHostName(), bound.getPort());
            } catch (UnknownHostException e) {
                throw new UncheckedIOException("bound to every address, and this host's name is unknown: set"
                        + " streams.application.server", e);
            }
        }
        return new HostInfo(bound.getHostString(), bound.getPort());
    }

    /** Where the dashboard is. */
    public String url() {
        return "http://" + hostInfo().host() + ":" + hostInfo().port() + "/";
    }

    /** Starts answering queries from {@code streams}; {@code signalName} names the stop policy's signal. */
    public void serve(KafkaStreams streams, String signalName) {
        this.queries = new RunQueries(streams, hostInfo(), signalName, access.authorization());
    }

    /** Who may read the API. */
    public HttpAccess access() {
        return access;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "only GET");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            boolean local = isLocalScope(exchange.getRequestURI().getRawQuery());
            if (STATIC.containsKey(path)) {
                resource(exchange, STATIC.get(path));
            } else if (path.equals("/api/runs") || path.startsWith("/api/runs/")) {
                if (!access.allows(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    LOG.warn("refused {} {} from {}: {} bearer token", exchange.getRequestMethod(), path,
                            exchange.getRemoteAddress().getAddress().getHostAddress(),
                            exchange.getRequestHeaders().containsKey("Authorization") ? "a wrong" : "no");
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"upcycle-monitor\"");
                    json(exchange, 401, error("this monitor's API needs its bearer token (http.token): Authorization: Bearer TOKEN;"
                            + " the dashboard takes it as #token=TOKEN in its address"));
                    return;
                }
                api(exchange, path, local);
            } else {
                send(exchange, 404, "text/plain", "not found: " + path);
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed", exchange.getRequestURI(), e);
        }
    }

    private void api(HttpExchange exchange, String path, boolean local) throws IOException {
        RunQueries q = queries;
        try {
            String runId = path.equals("/api/runs") ? null : runId(path.substring("/api/runs/".length()));
            if (q == null) {
                json(exchange, 503, error("the monitor is starting"));
            } else if (path.equals("/api/runs")) {
                RunQueries.RunList list = q.runs(!local);
                if (!list.unavailable().isEmpty()) {
                    exchange.getResponseHeaders().set(UNAVAILABLE_HEADER, String.join(",", list.unavailable()));
                }
                json(exchange, 200, list.runs());
            } else {
                Optional<JsonNode> run = q.run(runId, local);
                json(exchange, run.isPresent() ? 200 : 404, run.orElseGet(() -> error("unknown run " + runId)));
            }
        } catch (BadRequest e) {
            json(exchange, 400, error(e.getMessage()));
        } catch (InvalidStateStoreException e) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            json(exchange, 503, error("state not queryable now (rebalancing or starting): " + e.getMessage()));
        } catch (RunQueries.PeerUnavailableException e) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            json(exchange, 503, error(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            json(exchange, 503, error("interrupted"));
        } catch (IOException e) {
            json(exchange, 502, error(e.getMessage()));
        }
    }

    /** The run id of a raw path segment, decoded; a {@link BadRequest} when it is malformed, empty or too long. */
    static String runId(String raw) {
        if (raw.length() > 3 * RunIds.MAX_LENGTH) { // refused before decoding: each character is at most one %XX escape
            throw new BadRequest("the run id has more than " + RunIds.MAX_LENGTH + " characters");
        }
        String runId;
        try {
            runId = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed percent escape in run id '" + raw + "': " + e.getMessage());
        }
        String problem = RunIds.lengthProblem(runId);
        if (problem != null) {
            throw new BadRequest(problem);
        }
        return runId;
    }

    /** A request that cannot be answered as asked: 400. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /** Whether a raw query string holds {@code scope=local}, among any other parameters. */
    static boolean isLocalScope(String rawQuery) {
        return rawQuery != null && Arrays.asList(rawQuery.split("&")).contains(RunQueries.LOCAL_SCOPE);
    }

    private static JsonNode error(String message) {
        return RunJson.MAPPER.createObjectNode().put("error", message);
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", RunJson.MAPPER.writeValueAsString(body));
    }

    private static void resource(HttpExchange exchange, String name) throws IOException {
        try (InputStream in = MonitorHttpServer.class.getResourceAsStream(DASHBOARD + name)) {
            if (in == null) {
                send(exchange, 404, "text/plain", "missing resource " + name);
                return;
            }
            String type = name.endsWith(".js") ? "text/javascript" : "text/html";
            send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops answering at once and releases the port. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
