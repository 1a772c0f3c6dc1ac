package io.upcycle.stack;

import io.upcycle.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 3.0.9 in a child JVM on 127.0.0.1, serving the Confluent-compatible API that
 * the project's serdes speak. The child logs to {@code <upcycle home>/logs/apicurio-registry-<port>.log}
 * (deleted after a clean {@link #close()}, kept when it dies) and is stopped by {@link #close()},
 * by a shutdown hook of {@link LocalStack}, or by a {@link ParentDeathWatchdog} if this JVM is killed.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);
    private static final int MAX_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);

    private final Process child;
    private final Optional<Process> watchdog;
    private final int httpPort;
    private final int[] ports;
    private final Path logFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedRegistry(Process child, Optional<Process> watchdog, int[] ports, Path logFile) {
        this.child = child;
        this.watchdog = watchdog;
        this.httpPort = ports[0];
        this.ports = ports.clone();
        this.logFile = logFile;
    }

    /** Starts a registry with in-memory storage; see {@link RegistryOptions#defaults()}. */
    public static EmbeddedRegistry start() {
        return start(RegistryOptions.defaults());
    }

    /** Starts a registry and returns once its Confluent-compatible API answers. */
    public static EmbeddedRegistry start(RegistryOptions options) {
        long started = System.nanoTime();
        ApicurioDistribution distribution = ApicurioDistribution.locate(options.upcycleHome());
        Path logs = FileTrees.create(options.upcycleHome().resolve("logs"));
        for (int attempt = 1; ; attempt++) {
            int[] ports = LoopbackPorts.pick(2);
            Path logFile = logs.resolve("apicurio-registry-" + ports[0] + ".log");
            EmbeddedRegistry registry = launch(distribution, ports, logFile, options);
            try {
                RegistryReadiness.await(registry.child, registry.baseUrl(), options.startTimeout());
                LOG.info("Apicurio Registry (pid {}) serving {} after {} ms", registry.pid(), registry.confluentApiUrl(),
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
                return registry;
            } catch (StackStartException e) {
                String tail = LogTail.of(logFile, LOG_TAIL_LINES);
                registry.stop(true);
                if (LoopbackPorts.isBindMessage(tail) && attempt < MAX_ATTEMPTS) {
                    LOG.info("Port {} or {} was taken meanwhile; retrying with fresh ports", ports[0], ports[1]);
                    continue;
                }
                throw new StackStartException(e.getMessage() + ". Log " + logFile + " ends with:"
                        + System.lineSeparator() + tail, e.getCause());
            }
        }
    }

    /**
     * Starts a registry again on the ports of {@code stopped} (closed before), as after an outage:
     * clients configured with its URL reach the new one. With in-memory storage the schemas are gone;
     * with kafkasql they are read back from the broker, under the same ids.
     */
    public static EmbeddedRegistry restart(EmbeddedRegistry stopped, RegistryOptions options) {
        if (!stopped.closed.get()) {
            throw new IllegalStateException("registry on port " + stopped.httpPort + " is still running; close it first");
        }
        long started = System.nanoTime();
        ApicurioDistribution distribution = ApicurioDistribution.locate(options.upcycleHome());
        Path logFile = FileTrees.create(options.upcycleHome().resolve("logs")).resolve("apicurio-registry-" + stopped.httpPort + ".log");
        EmbeddedRegistry registry = launch(distribution, stopped.ports, logFile, options);
        try {
            RegistryReadiness.await(registry.child, registry.baseUrl(), options.startTimeout());
        } catch (StackStartException e) {
            registry.stop(true);
            throw new StackStartException(e.getMessage() + ". Log " + logFile + " ends with:" + System.lineSeparator()
                    + LogTail.of(logFile, LOG_TAIL_LINES), e.getCause());
        }
        LOG.info("Apicurio Registry (pid {}) serving {} again after {} ms", registry.pid(), registry.confluentApiUrl(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return registry;
    }

    private static EmbeddedRegistry launch(ApicurioDistribution distribution, int[] ports, Path logFile,
                                           RegistryOptions options) {
        List<String> command = RegistryCommand.of(distribution, ports[0], ports[1], options.kafkaSqlBootstrapServers());
        try {
            Files.deleteIfExists(logFile);
            Process child = new ProcessBuilder(command)
                    .directory(logFile.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            child.getOutputStream().close();
            String marker = distribution.runnerJar().getFileName().toString();
            return new EmbeddedRegistry(child, ParentDeathWatchdog.guard(child.toHandle(), marker), ports, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + String.join(" ", command), e);
        }
    }

    /** Base URL of the Confluent-compatible API: {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String confluentApiUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** Base URL of the registry itself (Apicurio's own API lives under {@code /apis/registry/v3}). */
    public String baseUrl() {
        return "http://" + LoopbackPorts.HOST + ":" + httpPort;
    }

    /** Process id of the registry's JVM. */
    public long pid() {
        return child.pid();
    }

    /** The registry's log file. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the child (TERM, then KILL after a grace period) and its watchdog. Idempotent. */
    @Override
    public void close() {
        stop(false);
    }

    private void stop(boolean keepLog) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watchdog.ifPresent(Process::destroyForcibly);
        boolean wasRunning = child.isAlive();
        if (!wasRunning) {
            LOG.warn("Apicurio Registry (pid {}) had exited by itself with code {}; see {}", pid(), child.exitValue(), logFile);
        }
        boolean graceful = false;
        try {
            child.destroy();
            graceful = child.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS);
            if (!graceful) {
                LOG.warn("Apicurio Registry (pid {}) ignored TERM for {}; killing it", pid(), GRACEFUL_STOP);
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (graceful && wasRunning && !keepLog) {
            deleteQuietly(logFile);
        }
        LOG.info("Apicurio Registry (pid {}) stopped", pid());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}", file, e);
        }
    }
}
