package io.upcycle.stack;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack: an in-process Kafka broker and an Apicurio Registry child JVM, both on
 * 127.0.0.1. It backs {@code ./upcycle stack}, the demo and integration tests. A JVM shutdown hook
 * stops everything on Ctrl-C; {@link #close()} does the same earlier.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalStack(EmbeddedKafka kafka, EmbeddedRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
        this.shutdownHook = new Thread(this::stop, "upcycle-local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a throw-away stack; see {@link LocalStackOptions#defaults()}. */
    public static LocalStack start() {
        return start(LocalStackOptions.defaults());
    }

    /** Starts the broker and the registry, in parallel unless the registry stores its schemas in the broker. */
    public static LocalStack start(LocalStackOptions options) {
        long started = System.nanoTime();
        LocalStack stack = options.keepData() ? startKeepingData(options) : startThrowAway(options);
        LOG.info("Local stack up in {} ms: Kafka {}, registry {}", Duration.ofNanos(System.nanoTime() - started).toMillis(),
                stack.bootstrapServers(), stack.registryUrl());
        return stack;
    }

    private static LocalStack startKeepingData(LocalStackOptions options) {
        EmbeddedKafka kafka = EmbeddedKafka.start(options.effectiveLogDir());
        try {
            return new LocalStack(kafka, EmbeddedRegistry.start(options.registryOptions().withKafkaSql(kafka.bootstrapServers())));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    private static LocalStack startThrowAway(LocalStackOptions options) {
        CompletableFuture<EmbeddedRegistry> registry = CompletableFuture.supplyAsync(
                () -> EmbeddedRegistry.start(options.registryOptions()),
                task -> new Thread(task, "upcycle-registry-start").start());
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.startTemporary();
        } catch (RuntimeException e) {
            try {
                registry.thenAccept(EmbeddedRegistry::close).join(); // stop what was started before failing
            } catch (CompletionException | CancellationException registryFailed) {
                e.addSuppressed(registryFailed.getCause() == null ? registryFailed : registryFailed.getCause());
            }
            throw e;
        }
        try {
            return new LocalStack(kafka, registry.join());
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Kafka {@code bootstrap.servers}: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Base URL of the registry's Confluent-compatible API: {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String registryUrl() {
        return registry.confluentApiUrl();
    }

    /** Both endpoints as one value, for code that should not care who runs the stack. */
    public StackEndpoints endpoints() {
        return new StackEndpoints(bootstrapServers(), registryUrl());
    }

    /** The in-process broker. */
    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** The registry child process. */
    public EmbeddedRegistry registry() {
        return registry;
    }

    /** Stops the registry, then the broker (the registry may store its schemas in it). Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook is running or about to run stop() itself.
        }
        stop();
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
