package io.upcycle.cli.compose;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.testing.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The compose services' loop ({@link ComposeIT#runLoop}) against the broker and the registry of
 * compose.yaml in containers: the same images, the registry keeping its schemas in the broker
 * (kafkasql) as compose.yaml has it. The Upcycle services run as JVMs here, through the image's
 * entry point, as in {@link ComposeIT}. Skipped, with Testcontainers' reason, where no Docker
 * engine runs (the machines this project is built on have none: this test has not run there).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeContainersIT {
    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(image("kafka"))
            .withNetwork(NETWORK).withNetworkAliases("kafka").withListener("kafka:19092")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>(image("registry"))
            .withNetwork(NETWORK).withNetworkAliases("registry")
            .withEnv("APICURIO_STORAGE_KIND", "kafkasql").withEnv("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS", "kafka:19092")
            .withExposedPorts(8080).waitingFor(Wait.forHttp("/health/ready").forStatusCode(200))
            .dependsOn(KAFKA);

    /** The image compose.yaml gives {@code service}. */
    private static String image(String service) {
        try {
            return ComposeFile.read(RepositoryRoot.find().resolve("compose.yaml")).service(service).image();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldTrainStopAndMergeOnTheBrokerAndRegistryContainersOfComposeYaml(@TempDir Path work) throws Exception {
        Path root = RepositoryRoot.find();
        String registryOrigin = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080);
        ComposeIT.runLoop(ComposeFile.read(root.resolve("compose.yaml")), ImageEntrypoint.read(root.resolve("upcycle-cli/Dockerfile")),
                new ComposeIT.Addresses(KAFKA.getBootstrapServers(), registryOrigin), Map.of(),
                new KafkaConnection(KAFKA.getBootstrapServers(), registryOrigin + "/apis/ccompat/v7"), root, work);
    }
}
