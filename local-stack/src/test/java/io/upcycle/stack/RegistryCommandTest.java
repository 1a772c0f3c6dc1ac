package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryCommandTest {

    private static final ApicurioDistribution DISTRIBUTION =
            new ApicurioDistribution(Path.of("/home/apicurio/3.0.9"), Path.of("/home/apicurio/3.0.9/app-runner.jar"));

    @Test
    void shouldBindHttpAndManagementToLoopbackWithTheCurrentJava() {
        // when the command is built with in-memory storage
        List<String> command = RegistryCommand.of(DISTRIBUTION, 1111, 2222, Optional.empty());

        // then it runs this JVM's java on the runner jar, listening on 127.0.0.1 only
        assertThat(command.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(command).contains("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=1111",
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=2222", RegistryCommand.HEAP);
        assertThat(command.subList(command.size() - 2, command.size()))
                .containsExactly("-jar", "/home/apicurio/3.0.9/app-runner.jar");
        assertThat(command).noneMatch(arg -> arg.contains("kafkasql"));
    }

    @Test
    void shouldStoreSchemasInKafkaWhenBootstrapServersAreGiven() {
        List<String> command = RegistryCommand.of(DISTRIBUTION, 1111, 2222, Optional.of("127.0.0.1:9092"));

        assertThat(command).contains("-Dapicurio.storage.kind=kafkasql",
                "-Dapicurio.kafkasql.bootstrap.servers=127.0.0.1:9092");
        assertThat(command.indexOf("-jar")).isGreaterThan(command.indexOf("-Dapicurio.storage.kind=kafkasql"));
    }
}
