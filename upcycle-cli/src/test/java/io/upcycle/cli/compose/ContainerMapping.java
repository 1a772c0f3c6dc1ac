package io.upcycle.cli.compose;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a container sees, as this machine has it: the compose network's host names become the
 * embedded stack's addresses and each mounted container folder the host folder behind it (a bind
 * mount's source, or the folder standing in for a named volume). Applied to every argument and
 * environment value, longest match first.
 */
final class ContainerMapping {
    private final Map<String, String> replacements = new LinkedHashMap<>();

    /** Maps {@code containerText} (a host:port, a URL prefix, a folder) to {@code hostText}. */
    ContainerMapping map(String containerText, String hostText) {
        replacements.put(containerText, hostText);
        return this;
    }

    /**
     * Maps the targets of a service's {@code volumes} ({@code source:target[:mode]}): a source starting with
     * {@code .} or {@code /} is a bind mount, resolved against {@code composeFolder}; any other names a volume,
     * which {@code namedVolumes} gives a host folder.
     */
    ContainerMapping volumes(List<String> volumes, Path composeFolder, Map<String, Path> namedVolumes) {
        for (String volume : volumes) {
            String[] parts = volume.split(":");
            String source = parts[0];
            Path host = source.startsWith(".") || source.startsWith("/") ? composeFolder.resolve(source).normalize()
                    : namedVolumes.get(source);
            if (host == null) {
                throw new IllegalArgumentException("no host folder given for volume '" + source + "'");
            }
            map(parts[1], host.toString());
        }
        return this;
    }

    String apply(String value) {
        String mapped = value;
        for (Map.Entry<String, String> entry : replacements.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed()).toList()) {
            mapped = mapped.replace(entry.getKey(), entry.getValue());
        }
        return mapped;
    }

    List<String> apply(List<String> values) {
        return values.stream().map(this::apply).toList();
    }
}
