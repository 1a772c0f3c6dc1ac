package io.upcycle.schemas;

import io.upcycle.schemas.registry.RegistryException;
import io.upcycle.schemas.registry.RestSchemaRegistryClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service checks when it starts: that the broker and the registry accept its credentials and
 * that their certificates are trusted. A refusal fails the start at once with a message that names
 * the listener or the registry and how the service tried to authenticate (never the secret), where
 * otherwise the service would wait it out as an outage for {@code outage.wait.ms}. A broker or
 * registry that does not answer is left to the service's outage handling: this check does not wait
 * for it.
 */
public final class AccessCheck {
    private static final Logger LOG = LoggerFactory.getLogger(AccessCheck.class);
    /** How long the check waits for the broker to answer before it leaves the broker to the outage handling. */
    static final Duration BROKER_WAIT = Duration.ofSeconds(15);

    private AccessCheck() {
    }

    /**
     * Thrown when the broker or the registry refuses the service's credentials or certificate: a
     * configuration error, so a command prints its one line and exits 2 ({@code CommandLines}).
     */
    public static final class AccessRefused extends ConfigException {
        private static final long serialVersionUID = 1L;

        AccessRefused(String message, Throwable cause) {
            super(message);
            initCause(cause);
        }
    }

    /**
     * Checks the broker, then the registry, of {@code connection}.
     *
     * @throws AccessRefused when either refuses the credentials or the TLS handshake fails
     */
    public static void verify(KafkaConnection connection) {
        verifyBroker(connection);
        verifyRegistry(connection);
    }

    /**
     * Checks the broker alone. A service that creates its topics at start needs not: the admin client
     * that does so meets the same refusal, and {@link #refused} turns it into the same error.
     */
    static void verifyBroker(KafkaConnection connection) {
        try (Admin admin = Admin.create(connection.adminProperties())) {
            admin.describeCluster().clusterId().get(BROKER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            AccessRefused refused = refused(connection, e.getCause());
            if (refused != null) {
                throw refused;
            }
        } catch (TimeoutException e) {
            // not answering: the service's outage handling waits for it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The error to fail with when {@code error} is the broker refusing the connection's credentials or certificate, else null. */
    public static AccessRefused refused(KafkaConnection connection, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException) {
                return new AccessRefused("Kafka's listener at " + connection.bootstrapServers() + " refused this service ("
                        + connection.client().describeSecurity() + "): " + t.getMessage()
                        + ". Check the credentials and trust store in client.config or the kafka.* keys.", t);
            }
        }
        return null;
    }

    /** Checks the registry, then logs how the service connects (the broker was checked first). */
    static void verifyRegistry(KafkaConnection connection) {
        try {
            new RestSchemaRegistryClient(connection.registryUrl(), connection.registry()).subjects();
        } catch (RegistryException e) {
            if (e.status() == 401) {
                throw new AccessRefused(e.getMessage(), e);
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SSLException) {
                    throw new AccessRefused("the TLS handshake with the schema registry at " + connection.registryUrl()
                            + " failed: " + t.getMessage() + ". Check " + KafkaConnection.REGISTRY_TRUSTSTORE_LOCATION + ".", e);
                }
            }
            // down, or 403 (a principal may register and read schemas without listing subjects): left to the service
        }
        LOG.info("connecting to Kafka at {}", connection.describe());
    }
}
