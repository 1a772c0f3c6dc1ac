package io.upcycle.schemas;

import io.upcycle.config.ConfigSpec;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of a command that talks to a running stack without being a service (export, audit,
 * benchmarks): {@code --bootstrap-servers}, {@code --schema-registry-url} and {@code --client-config},
 * else the environment variables of those keys ({@link ConfigSpec#environmentName}), which {@code upcycle stack} prints.
 * Mix into a picocli command with {@code @Mixin}.
 */
public final class KafkaConnectionOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "a running broker (default: $UPCYCLE_BOOTSTRAP_SERVERS)")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "its Confluent-compatible schema registry (default: $UPCYCLE_SCHEMA_REGISTRY_URL)")
    String registryUrl;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Kafka client settings (security.protocol, ssl.*, sasl.*) and the registry's credentials"
                    + " (basic.auth.user.info, bearer.auth.token, schema.registry.ssl.truststore.*), as the services' client.config"
                    + " (default: $UPCYCLE_CLIENT_CONFIG)")
    String clientConfig;

    private Map<String, String> environment = System.getenv();

    /** These options reading {@code environment} instead of the process's (tests). */
    public KafkaConnectionOptions withEnvironment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /** The stack the options or the environment name; empty when neither does. Naming one of the two alone is an error. */
    public Optional<KafkaConnection> given() {
        String bootstrap = bootstrapServers != null ? bootstrapServers
                : environment.get(ConfigSpec.environmentName(KafkaConnection.BOOTSTRAP_SERVERS));
        String registry = registryUrl != null ? registryUrl : environment.get(ConfigSpec.environmentName(KafkaConnection.REGISTRY_URL));
        boolean hasBootstrap = bootstrap != null && !bootstrap.isBlank();
        boolean hasRegistry = registry != null && !registry.isBlank();
        if (hasBootstrap != hasRegistry) {
            throw new IllegalArgumentException("give both --bootstrap-servers and --schema-registry-url (or "
                    + ConfigSpec.environmentName(KafkaConnection.BOOTSTRAP_SERVERS) + " and "
                    + ConfigSpec.environmentName(KafkaConnection.REGISTRY_URL) + "), or neither");
        }
        if (!hasBootstrap) {
            return Optional.empty();
        }
        String file = clientConfig != null ? clientConfig : environment.get(ConfigSpec.environmentName(KafkaConnection.CLIENT_CONFIG));
        return Optional.of(new KafkaConnection(bootstrap, registry)
                .withClientConfig(ClientConfigFile.read(file, "--client-config")));
    }

    /** The stack the options or the environment name; an error saying how to name one when they do not. */
    public KafkaConnection required() {
        return given().orElseThrow(() -> new IllegalArgumentException("no stack: give --bootstrap-servers and --schema-registry-url,"
                + " or set " + ConfigSpec.environmentName(KafkaConnection.BOOTSTRAP_SERVERS) + " and "
                + ConfigSpec.environmentName(KafkaConnection.REGISTRY_URL) + " (upcycle stack prints them)"));
    }
}
