package io.upcycle.monitor.http;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may read the monitor's JSON API: anyone on loopback, as before, unless a token is configured
 * ({@code http.token}); off loopback, only a request carrying {@code Authorization: Bearer <token>},
 * where the token is the configured one or, when none is, one generated at start (printed once,
 * with the dashboard's address). The dashboard's static files need no token: they hold no data.
 * Several instances behind one application id must share a configured token, since each forwards
 * queries to its peers with its own.
 */
public final class HttpAccess {
    private static final String BEARER = "Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final boolean generated;

    private HttpAccess(String token, boolean generated) {
        this.token = token;
        this.generated = generated;
    }

    /** The access of a server bound to {@code bound}: {@code configured} when given, else open on loopback and generated off it. */
    public static HttpAccess of(String configured, InetAddress bound) {
        if (configured != null && !configured.isEmpty()) {
            return new HttpAccess(configured, false);
        }
        if (bound.isLoopbackAddress()) {
            return new HttpAccess(null, false);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new HttpAccess(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true);
    }

    /** Whether requests need a token. */
    public boolean required() {
        return token != null;
    }

    /** The token this process made up at start, to be printed once; empty when configured or not required. */
    public Optional<String> generatedToken() {
        return generated ? Optional.of(token) : Optional.empty();
    }

    /** Whether a request with this {@code Authorization} header value (null: none) may read the API. */
    public boolean allows(String authorization) {
        if (token == null) {
            return true;
        }
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8)); // in constant time
    }

    /** The {@code Authorization} value this instance sends its peers; empty when none is needed. */
    Optional<String> authorization() {
        return Optional.ofNullable(token).map(t -> BEARER + t);
    }

    @Override
    public String toString() {
        return token == null ? "open" : generated ? "bearer token (generated)" : "bearer token (configured)";
    }
}
