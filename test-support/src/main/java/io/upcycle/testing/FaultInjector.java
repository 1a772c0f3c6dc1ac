package io.upcycle.testing;

import io.upcycle.stack.EmbeddedKafka;
import io.upcycle.stack.EmbeddedRegistry;
import io.upcycle.stack.RegistryOptions;
import io.upcycle.stack.StackEndpoints;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real local stack of its own (broker, and a registry keeping its schemas in that broker) whose
 * broker and registry an integration test stops and starts again while services run: same
 * addresses, same data, same schema ids, so that what a service meets is an outage and nothing
 * else. Not shared: each test that breaks things gets a stack nobody else uses.
 */
public final class FaultInjector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final RegistryOptions registryOptions;
    private final StackEndpoints endpoints;
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;

    private FaultInjector(EmbeddedKafka kafka, EmbeddedRegistry registry, RegistryOptions registryOptions) {
        this.kafka = kafka;
        this.registry = registry;
        this.registryOptions = registryOptions;
        this.endpoints = new StackEndpoints(kafka.bootstrapServers(), registry.confluentApiUrl());
    }

    /** Starts a broker on a temporary folder and a registry storing its schemas in it. */
    public static FaultInjector start() {
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        try {
            RegistryOptions options = RegistryOptions.defaults().withKafkaSql(kafka.bootstrapServers());
            return new FaultInjector(kafka, EmbeddedRegistry.start(options), options);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** Where clients reach the stack; unchanged by outages. */
    public StackEndpoints endpoints() {
        return endpoints;
    }

    /** Stops the registry: clients get connection refused until {@link #startRegistry()}. */
    public synchronized void stopRegistry() {
        LOG.info("fault: stopping the schema registry at {}", endpoints.registryUrl());
        registry.close();
    }

    /** Starts the registry again on the same port, with the same schemas; returns once it answers. */
    public synchronized void startRegistry() {
        registry = EmbeddedRegistry.restart(registry, registryOptions);
        LOG.info("fault: the schema registry at {} is back", endpoints.registryUrl());
    }

    /** Stops the broker, keeping its data: clients retry until {@link #startBroker()}. */
    public synchronized void stopBroker() {
        LOG.info("fault: stopping the broker at {}", endpoints.bootstrapServers());
        kafka.stopKeepingData();
    }

    /** Starts the broker again on the same ports and data; returns once it answers. */
    public synchronized void startBroker() {
        kafka = EmbeddedKafka.restart(kafka);
        LOG.info("fault: the broker at {} is back", endpoints.bootstrapServers());
    }

    /** Stops the registry for {@code outage}, then starts it again; returns when it answers. */
    public void registryDownFor(Duration outage) throws InterruptedException {
        stopRegistry();
        Thread.sleep(outage.toMillis());
        startRegistry();
    }

    /** Stops the registry, then the broker, and deletes the broker's data. */
    @Override
    public synchronized void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
