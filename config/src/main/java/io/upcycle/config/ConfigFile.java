package io.upcycle.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The keys of a {@code --config FILE}: a properties file ({@code key=value} per line) or, named
 * {@code .yaml} / {@code .yml}, a YAML mapping whose nested keys join with dots ({@code plan: {id: x}}
 * is {@code plan.id=x}) and whose lists join with commas ({@code runs: [a, b]} is {@code a,b}), so a
 * compose file can ship a service's configuration the way Kubernetes and compose users write it.
 * Either way the values are strings, checked by the service's {@link ConfigSpec} like any other.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * The keys of {@code file}, sorted.
     *
     * @throws IllegalArgumentException naming the file and the key when the YAML is not a mapping of
     *         scalars, lists of scalars and mappings, or repeats a key
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public static Map<String, String> load(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, String> values = name.endsWith(".yaml") || name.endsWith(".yml") ? yaml(in, file) : properties(in);
            return values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> properties(Reader in) throws IOException {
        Properties properties = new Properties();
        properties.load(in);
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
        return values;
    }

    private static Map<String, String> yaml(Reader in, Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(options)).load(in);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("config file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (root == null) {
            return values;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("config file " + file + " must be a YAML mapping of keys, not a "
                    + root.getClass().getSimpleName());
        }
        flatten("", map, values, file);
        return values;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> values, Path file) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, values, file);
                continue;
            }
            String text = value instanceof List<?> list ? list.stream().map(item -> scalar(key, item, file))
                    .collect(Collectors.joining(",")) : scalar(key, value, file);
            if (values.put(key, text) != null) {
                throw new IllegalArgumentException("config file " + file + " gives key '" + key + "' twice");
            }
        }
    }

    private static String scalar(String key, Object value, Path file) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException("config file " + file + ": key '" + key
                    + "' holds a nested structure; a value is a scalar or a list of scalars");
        }
        return value == null ? "" : value.toString().trim();
    }
}
