package io.upcycle.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.types.Password;

/**
 * How a service proves itself to the schema registry and trusts its certificate, in the Confluent
 * client's terms: HTTP basic auth ({@code basic.auth.user.info}, {@code user:password}) or a static
 * bearer token ({@code bearer.auth.token}), and a trust store for a registry whose certificate the
 * JVM's default trust does not cover. Secrets are {@link Password}s: {@link #toString()} and every
 * message hide them.
 *
 * @param userInfo {@code user:password} for basic auth, or null
 * @param bearerToken a token sent as {@code Authorization: Bearer}, or null
 * @param trustStore a trust store file (PKCS12 or JKS), or null for the JVM's default trust
 * @param trustStorePassword its password, or null
 * @param trustStoreType its type, {@code PKCS12} or {@code JKS}
 */
public record RegistryAccess(Password userInfo, Password bearerToken, Path trustStore, Password trustStorePassword,
                             String trustStoreType) {
    /** No credentials, the JVM's default trust: a registry open to this machine (the embedded stack). */
    public static final RegistryAccess OPEN = new RegistryAccess(null, null, null, null, "PKCS12");

    public RegistryAccess {
        if (userInfo != null && userInfo.value().isEmpty()) {
            userInfo = null;
        }
        if (bearerToken != null && bearerToken.value().isEmpty()) {
            bearerToken = null;
        }
        if (userInfo != null && bearerToken != null) {
            throw new IllegalArgumentException("give the registry either basic auth (user info) or a bearer token, not both");
        }
        if (userInfo != null && userInfo.value().indexOf(':') <= 0) {
            throw new IllegalArgumentException("basic auth user info must be user:password");
        }
        trustStoreType = trustStoreType == null || trustStoreType.isBlank() ? "PKCS12" : trustStoreType;
    }

    /** The {@code Authorization} header value to send, if any. */
    public Optional<String> authorization() {
        if (userInfo != null) {
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.value().getBytes(StandardCharsets.UTF_8)));
        }
        return bearerToken == null ? Optional.empty() : Optional.of("Bearer " + bearerToken.value());
    }

    /** How the registry client authenticates, for messages: {@code basic auth as USER}, {@code a bearer token} or {@code no credentials}. */
    public String describe() {
        if (userInfo != null) {
            return "basic auth as " + userInfo.value().substring(0, userInfo.value().indexOf(':'));
        }
        return bearerToken != null ? "a bearer token" : "no credentials";
    }

    /**
     * The TLS context that trusts {@link #trustStore}, or empty for the JVM's default.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read as a trust store of its type with its password
     */
    public Optional<SSLContext> sslContext() {
        if (trustStore == null) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance(trustStoreType);
            store.load(in, trustStorePassword == null ? null : trustStorePassword.value().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the registry's trust store " + trustStore + " (" + trustStoreType + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "RegistryAccess[" + describe() + (trustStore == null ? "" : ", trust store " + trustStore) + "]";
    }
}
