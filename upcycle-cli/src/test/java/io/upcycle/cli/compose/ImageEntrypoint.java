package io.upcycle.cli.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The final stage of a Dockerfile as a container starts it: its {@code ENV} and its exec-form {@code ENTRYPOINT}. */
record ImageEntrypoint(Map<String, String> environment, List<String> entrypoint) {

    static ImageEntrypoint read(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && current.isEmpty()) {
                continue;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        for (String instruction : instructions) {
            String[] parts = instruction.split("\\s+", 2);
            switch (parts[0].toUpperCase()) {
                case "FROM" -> {
                    environment.clear(); // a new stage starts from nothing of the previous one
                    entrypoint = List.of();
                }
                case "ENV" -> {
                    for (String pair : parts[1].split("\\s+")) {
                        int eq = pair.indexOf('=');
                        environment.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                case "ENTRYPOINT" -> entrypoint = ((List<?>) new Yaml(new SafeConstructor(new LoaderOptions())).load(parts[1]))
                        .stream().map(String::valueOf).toList();
                default -> {
                }
            }
        }
        if (entrypoint.isEmpty()) {
            throw new IllegalArgumentException(dockerfile + ": its last stage has no exec-form ENTRYPOINT");
        }
        return new ImageEntrypoint(environment, entrypoint);
    }
}
