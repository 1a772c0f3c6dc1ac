package io.upcycle.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A subcommand that hands its arguments to a service's own {@code main}, which parses and
 * validates its typed configuration. The external stack comes from the options or from the
 * environment variables {@code UPCYCLE_BOOTSTRAP_SERVERS} and {@code UPCYCLE_REGISTRY_URL}.
 */
abstract class ServiceCommand implements Command {
    private final String bootstrapKey;
    private final String registryKey;

    ServiceCommand(String bootstrapKey, String registryKey) {
        this.bootstrapKey = bootstrapKey;
        this.registryKey = registryKey;
    }

    /** The service's main. */
    abstract Consumer<String[]> main();

    /** Runs the service's main on the raw words; returns 0 when it returns normally. */
    int runWith(List<String> words) {
        List<String> all = new ArrayList<>(words);
        addFromEnvironment(all, bootstrapKey, "UPCYCLE_BOOTSTRAP_SERVERS");
        addFromEnvironment(all, registryKey, "UPCYCLE_REGISTRY_URL");
        main().accept(all.toArray(String[]::new));
        return 0;
    }

    @Override
    public int run(Args args) {
        throw new UnsupportedOperationException("service commands take raw words; see Upcycle.run");
    }

    private static void addFromEnvironment(List<String> words, String key, String variable) {
        String value = System.getenv(variable);
        boolean given = words.stream().anyMatch(w -> w.equals("--" + key) || w.startsWith("--" + key + "="));
        if (value != null && !value.isBlank() && !given) {
            words.add("--" + key + "=" + value);
        }
    }
}
