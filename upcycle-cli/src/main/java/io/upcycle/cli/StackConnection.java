package io.upcycle.cli;

import io.upcycle.schemas.KafkaConnection;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The running stack a command talks to: {@code --bootstrap-servers} and {@code --registry-url}, or
 * the environment variables {@code UPCYCLE_BOOTSTRAP_SERVERS} and {@code UPCYCLE_REGISTRY_URL} that
 * {@code upcycle stack} prints. Also parses the {@code --runs a,b} filter shared by export and audit.
 */
final class StackConnection {
    static final String BOOTSTRAP = "bootstrap-servers";
    static final String REGISTRY = "registry-url";
    static final String HELP = """
              --bootstrap-servers H:P   the broker (default: $UPCYCLE_BOOTSTRAP_SERVERS)
              --registry-url URL        its Confluent-compatible registry (default: $UPCYCLE_REGISTRY_URL)
            """;

    private StackConnection() {
    }

    static KafkaConnection from(Args args) {
        String bootstrap = args.get(BOOTSTRAP).orElse(System.getenv("UPCYCLE_BOOTSTRAP_SERVERS"));
        String registry = args.get(REGISTRY).orElse(System.getenv("UPCYCLE_REGISTRY_URL"));
        if (bootstrap == null || bootstrap.isBlank() || registry == null || registry.isBlank()) {
            throw new IllegalArgumentException("no stack: give --" + BOOTSTRAP + " and --" + REGISTRY
                    + ", or set UPCYCLE_BOOTSTRAP_SERVERS and UPCYCLE_REGISTRY_URL (upcycle stack prints them)");
        }
        return new KafkaConnection(bootstrap, registry);
    }

    /** The run ids of {@code --runs a,b}; empty: all runs. */
    static Set<String> runs(Args args) {
        Set<String> runs = new LinkedHashSet<>();
        args.get("runs").ifPresent(list -> Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(runs::add));
        return runs;
    }
}
