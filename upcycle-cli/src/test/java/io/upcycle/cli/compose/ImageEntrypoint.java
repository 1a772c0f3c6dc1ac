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

/**
 * One stage of a Dockerfile as a container starts it: its base image, its {@code ENV} and its
 * exec-form {@code ENTRYPOINT}. {@link #read(Path)} gives the final stage, the one a plain build makes.
 */
record ImageEntrypoint(String from, Map<String, String> environment, List<String> entrypoint) {

    /** The final stage of {@code dockerfile}. */
    static ImageEntrypoint read(Path dockerfile) throws IOException {
        return read(dockerfile, null);
    }

    /** The stage named {@code stage} ({@code FROM image AS stage}) of {@code dockerfile}, or its final stage when null. */
    static ImageEntrypoint read(Path dockerfile, String stage) throws IOException {
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
        Map<String, ImageEntrypoint> named = new LinkedHashMap<>();
        ImageEntrypoint last = null;
        String from = null;
        String name = null;
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        for (String instruction : instructions) {
            String[] parts = instruction.split("\\s+", 2);
            switch (parts[0].toUpperCase()) {
                case "FROM" -> {
                    if (from != null) {
                        last = new ImageEntrypoint(from, environment, entrypoint);
                        named.put(name, last);
                    }
                    String[] words = parts[1].split("\\s+");
                    from = words[0];
                    name = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
                    environment = new LinkedHashMap<>(); // a new stage starts from nothing of the previous one
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
        last = new ImageEntrypoint(from, environment, entrypoint);
        named.put(name, last);
        ImageEntrypoint chosen = stage == null ? last : named.get(stage);
        if (chosen == null) {
            throw new IllegalArgumentException(dockerfile + " has no stage '" + stage + "' (it has " + named.keySet() + ")");
        }
        if (chosen.entrypoint().isEmpty()) {
            throw new IllegalArgumentException(dockerfile + ": stage " + (stage == null ? "(the last)" : stage)
                    + " has no exec-form ENTRYPOINT");
        }
        return chosen;
    }
}
