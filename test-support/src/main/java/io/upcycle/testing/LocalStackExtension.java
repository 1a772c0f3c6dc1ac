package io.upcycle.testing;

import io.upcycle.stack.StackEndpoints;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands out one shared stack (a Kafka broker and a Confluent-compatible registry) per test JVM,
 * as a {@link StackEndpoints} parameter of test, lifecycle or constructor methods:
 *
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class MonitorIT {
 *     @Test
 *     void shouldStopRunWhenMemorizing(StackEndpoints stack) { ... stack.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>The stack starts on first use and stops when the test plan ends (it lives in the root
 * extension context's store). By default the broker runs in-process; with
 * {@code -D}{@value #DOCKER_PROPERTY}{@code =true} and a Docker engine, Testcontainers' Kafka
 * container replaces it (the test module then needs {@code testcontainers-kafka} in test scope).
 * Tests share the broker: use topic names unique to each test.
 */
public final class LocalStackExtension implements ParameterResolver {

    /** Opt-in system property for the Docker broker. */
    public static final String DOCKER_PROPERTY = "upcycle.test.docker";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == StackEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return sharedStack(extensionContext).endpoints();
    }

    /** The stack of this test JVM, started on first call. */
    public static StackEndpoints endpoints(ExtensionContext context) {
        return sharedStack(context).endpoints();
    }

    private static SharedStack sharedStack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.start(Boolean.getBoolean(DOCKER_PROPERTY)),
                        SharedStack.class);
    }
}
