package io.upcycle.stack;

import io.upcycle.files.FileTrees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4.3 broker and KRaft controller inside this JVM, listening on 127.0.0.1 only.
 * It is the real broker (transactions, exactly-once, compaction) for integration tests and for
 * {@code ./upcycle stack}, without Docker and without a second JVM.
 *
 * <p>{@link #startTemporary()} keeps its log in a temporary folder deleted by {@link #close()};
 * {@link #start(Path)} keeps it in a given folder across runs.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean temporary;
    private final String bootstrapServers;
    private final int[] ports;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final SecureListener secure;

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, boolean temporary, int[] ports, SecureListener secure) {
        this.server = server;
        this.logDir = logDir;
        this.temporary = temporary;
        this.ports = ports.clone();
        this.bootstrapServers = LoopbackPorts.HOST + ":" + ports[0];
        this.secure = secure;
    }

    /** Starts a broker whose data lives in a temporary folder, deleted on {@link #close()}. */
    public static EmbeddedKafka startTemporary() {
        return startTemporary(null);
    }

    /**
     * As {@link #startTemporary()}, with a {@code SASL_SSL} listener too when {@code secure} is given
     * ({@link #secureBootstrapServers()}).
     */
    public static EmbeddedKafka startTemporary(SecureListener secure) {
        Path dir = Folders.createTemp("upcycle-kafka-");
        try {
            return start(dir, true, secure);
        } catch (RuntimeException e) {
            FileTrees.delete(dir);
            throw e;
        }
    }

    /** Starts a broker on {@code logDir} (created and formatted if needed); the data is kept. */
    public static EmbeddedKafka start(Path logDir) {
        return start(FileTrees.create(logDir.toAbsolutePath().normalize()), false, null);
    }

    private static EmbeddedKafka start(Path logDir, boolean temporary, SecureListener secure) {
        long started = System.nanoTime();
        KRaftStorage.formatIfNeeded(logDir);
        for (int attempt = 1; ; attempt++) {
            int[] ports = LoopbackPorts.pick(secure == null ? 2 : 3);
            try {
                return startOn(logDir, temporary, ports, started, secure);
            } catch (StackStartException e) {
                if (LoopbackPorts.isBindFailure(e.getCause()) && attempt < MAX_ATTEMPTS) {
                    LOG.info("Port {} or {} was taken meanwhile; retrying with fresh ports", ports[0], ports[1]);
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Starts a broker again on the ports and log folder of {@code stopped} (stopped by
     * {@link #stopKeepingData()}), as after an outage: clients configured with its address reach the
     * new one, and every topic, record and committed offset is there.
     */
    public static EmbeddedKafka restart(EmbeddedKafka stopped) {
        if (!stopped.closed.get()) {
            throw new IllegalStateException("broker on " + stopped.bootstrapServers + " is still running; stop it first");
        }
        return startOn(stopped.logDir, stopped.temporary, stopped.ports, System.nanoTime(), stopped.secure);
    }

    private static EmbeddedKafka startOn(Path logDir, boolean temporary, int[] ports, long started, SecureListener secure) {
        KafkaConfig config = KafkaConfig.fromProps(KafkaBrokerProperties.of(logDir, ports[0], ports[1], secure,
                secure == null ? -1 : ports[2]), false);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw new StackStartException("Kafka broker failed to start on log folder " + logDir, e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(server, logDir, temporary, ports, secure);
        kafka.awaitBrokerRegistered();
        LOG.info("Kafka broker listening on {} after {} ms (log folder {})", kafka.bootstrapServers,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), logDir);
        return kafka;
    }

    /** Shuts the broker down and keeps its folder, even a temporary one, for {@link #restart}. Idempotent. */
    public void stopKeepingData() {
        if (closed.compareAndSet(false, true)) {
            stopQuietly(server);
            LOG.info("Kafka broker on {} stopped; its data is kept in {}", bootstrapServers, logDir);
        }
    }

    /** {@code bootstrap.servers} for clients: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code bootstrap.servers} of the {@code SASL_SSL} listener; only for a broker started with a {@link SecureListener}. */
    public String secureBootstrapServers() {
        if (secure == null) {
            throw new IllegalStateException("broker on " + bootstrapServers + " has no SASL_SSL listener");
        }
        return LoopbackPorts.HOST + ":" + ports[2];
    }

    /** Creates (or updates) SCRAM user {@code user} with {@code password} for {@code mechanism} (SCRAM-SHA-256 or -512). */
    public void createScramUser(String user, String password, String mechanism) {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.fromMechanismName(mechanism), 4096), password)))
                    .all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM user " + user, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create SCRAM user " + user + " on " + bootstrapServers + ": " + e, e);
        }
    }

    /** The broker's log folder (metadata and topic data). */
    public Path logDir() {
        return logDir;
    }

    private void awaitBrokerRegistered() {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            int nodes = admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            if (nodes == 0) {
                throw new StackStartException("Kafka broker on " + bootstrapServers + " reports no nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new StackStartException("Interrupted while waiting for the Kafka broker", e);
        } catch (Exception e) {
            close();
            throw e instanceof StackStartException s ? s
                    : new StackStartException("Kafka broker on " + bootstrapServers + " did not answer", e);
        }
    }

    /** Shuts the broker down and deletes its folder when it was temporary. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopQuietly(server);
        if (temporary) {
            FileTrees.delete(logDir);
        }
        LOG.info("Kafka broker on {} stopped", bootstrapServers);
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker did not shut down cleanly", e);
        }
    }
}
