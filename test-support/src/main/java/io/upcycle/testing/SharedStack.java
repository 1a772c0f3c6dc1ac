package io.upcycle.testing;

import io.upcycle.stack.EmbeddedRegistry;
import io.upcycle.stack.LocalStack;
import io.upcycle.stack.StackEndpoints;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack shared by all tests of one JVM, closed by JUnit when the root extension context
 * closes. Either a whole {@link LocalStack}, or a Docker broker plus an embedded registry.
 */
final class SharedStack implements ExtensionContext.Store.CloseableResource {

    private static final Logger LOG = LoggerFactory.getLogger(SharedStack.class);

    private final StackEndpoints endpoints;
    private final List<AutoCloseable> parts;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SharedStack(StackEndpoints endpoints, List<AutoCloseable> parts) {
        this.endpoints = endpoints;
        this.parts = parts;
    }

    static SharedStack start(boolean dockerRequested) {
        if (dockerRequested && DockerKafka.dockerAvailable()) {
            DockerKafka kafka = DockerKafka.start();
            try {
                EmbeddedRegistry registry = EmbeddedRegistry.start();
                return new SharedStack(new StackEndpoints(kafka.bootstrapServers(), registry.confluentApiUrl()),
                        List.of(registry, kafka));
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
        }
        if (dockerRequested) {
            LOG.warn("-D{}=true but no Docker engine answers: using the in-process broker", LocalStackExtension.DOCKER_PROPERTY);
        }
        LocalStack stack = LocalStack.start();
        return new SharedStack(stack.endpoints(), List.of(stack));
    }

    StackEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Exception failure = null;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
