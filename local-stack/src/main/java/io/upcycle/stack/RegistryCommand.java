package io.upcycle.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of the registry's child JVM: the same {@code java} as this JVM, a small heap,
 * HTTP and management interfaces on 127.0.0.1.
 */
final class RegistryCommand {

    static final String HEAP = "-Xmx384m";

    private RegistryCommand() {
    }

    static List<String> of(ApicurioDistribution distribution, int httpPort, int managementPort,
                           Optional<String> kafkaSqlBootstrapServers) {
        String host = LoopbackPorts.HOST;
        List<String> command = new ArrayList<>(List.of(
                javaBinary().toString(),
                HEAP,
                // A registry serves a handful of requests: favour start-up time and footprint.
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of(
                "-Dquarkus.http.host=" + host,
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=" + host,
                "-Dquarkus.management.port=" + managementPort));
        kafkaSqlBootstrapServers.ifPresent(servers -> command.addAll(List.of(
                "-Dapicurio.storage.kind=kafkasql",
                "-Dapicurio.kafkasql.bootstrap.servers=" + servers,
                // The journal consumer's 5 s default poll delays start-up by seconds; 100 ms polls cost nothing.
                "-Dapicurio.kafkasql.consumer.poll.timeout=100")));
        command.addAll(List.of("-jar", distribution.runnerJar().toString()));
        return command;
    }

    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
