package io.upcycle.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration of one service, declared once with Kafka's {@link ConfigDef}: every key with
 * its type, default, validator and doc, plus the open prefixes whose keys pass through to a
 * component (the monitor's {@code policy.} and {@code streams.}). The one set of rules every
 * service follows:
 * <ul>
 *   <li>keys are lower case words joined by dots ({@code batch.size}, {@code bootstrap.servers});</li>
 *   <li>an unknown key is refused, naming the closest known one;</li>
 *   <li>every error is Kafka's {@link ConfigException}: {@code Invalid value V for configuration K: why};</li>
 *   <li>the environment variable of key {@code a.b} is {@code UPCYCLE_A_B} ({@link #environmentName}).</li>
 * </ul>
 */
public final class ConfigSpec {
    /** Prefix of every environment variable a service reads its keys from. */
    public static final String ENVIRONMENT_PREFIX = "UPCYCLE_";

    private final String service;
    private final ConfigDef definition;
    private final Map<String, String> prefixes;

    private ConfigSpec(String service, ConfigDef definition, Map<String, String> prefixes) {
        this.service = service;
        this.definition = definition;
        this.prefixes = Collections.unmodifiableMap(prefixes);
    }

    /** The keys of {@code service} (the word its errors and documentation name). */
    public static ConfigSpec of(String service, ConfigDef definition) {
        return new ConfigSpec(service, definition, new LinkedHashMap<>());
    }

    /** This spec, also passing keys that start with {@code prefix} (ending in a dot) through, as {@code doc} says. */
    public ConfigSpec withPrefix(String prefix, String doc) {
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("a prefix ends with a dot: " + prefix);
        }
        Map<String, String> more = new LinkedHashMap<>(prefixes);
        more.put(prefix, doc);
        return new ConfigSpec(service, definition, more);
    }

    public String service() {
        return service;
    }

    public ConfigDef definition() {
        return definition;
    }

    /** The keys in the order they were defined. */
    public Collection<ConfigDef.ConfigKey> keys() {
        return definition.configKeys().values();
    }

    /** The open prefixes and what their keys configure. */
    public Map<String, String> prefixes() {
        return prefixes;
    }

    /**
     * Parses and validates {@code values} (text or typed); absent keys take their defaults.
     *
     * @throws ConfigException naming the first unknown key, or the first key whose value is invalid
     */
    public ConfigValues parse(Map<String, ?> values) {
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            String key = entry.getKey();
            if (!definition.names().contains(key) && prefixes.keySet().stream().noneMatch(key::startsWith)) {
                throw unknown(key, entry.getValue());
            }
        }
        return new ConfigValues(this, values);
    }

    private ConfigException unknown(String key, Object value) {
        List<String> known = new ArrayList<>(definition.names().stream().sorted().toList());
        prefixes.keySet().forEach(prefix -> known.add(prefix + "*"));
        String closest = Suggestions.closest(key, definition.names());
        return new ConfigException(key, Secrets.shown(key, value), "not a key of the " + service
                + (closest == null ? "" : "; did you mean '" + closest + "'?") + " Known keys: " + String.join(", ", known));
    }

    /** The error format of every service: {@code Invalid value V for configuration K: why}. */
    public static ConfigException invalid(String key, Object value, String why) {
        return new ConfigException(key, value, why);
    }

    /** The environment variable that sets {@code key}: {@code UPCYCLE_} and the key in upper case, dots as underscores. */
    public static String environmentName(String key) {
        return ENVIRONMENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The keys of this spec that {@code environment} sets ({@link #environmentName}); variables that
     * name no key of this service are left alone, since other programs share the environment.
     */
    public Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : definition.names()) {
            String value = environment.get(environmentName(key));
            if (value != null && !value.isBlank()) {
                values.put(key, value);
            }
        }
        for (String prefix : prefixes.keySet()) {
            String start = environmentName(prefix);
            environment.entrySet().stream().filter(e -> e.getKey().startsWith(start) && e.getKey().length() > start.length())
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> values.put(prefix + e.getKey().substring(start.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                            e.getValue()));
        }
        return values;
    }

    /** What a key holds by default, as its documentation shows it. */
    public static String defaultText(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "required";
        }
        Object value = key.defaultValue;
        if (value instanceof Password secret) {
            return secret.value().isEmpty() ? "empty" : Password.HIDDEN;
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "empty" : String.join(",", list.stream().map(String::valueOf).toList());
        }
        return value == null || value.toString().isEmpty() ? "empty" : value.toString();
    }

    /** The keys as a Markdown table (README's configuration section), then the open prefixes. */
    public String markdown() {
        StringBuilder out = new StringBuilder("| key | type | default | valid values | what it does |\n|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : keys()) {
            out.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(cell(defaultText(key))).append(" | ").append(cell(key.validator == null ? "" : key.validator.toString()))
                    .append(" | ").append(cell(key.documentation)).append(" |\n");
        }
        prefixes.forEach((prefix, doc) -> out.append("| `").append(prefix).append("*` | | | | ").append(cell(doc)).append(" |\n"));
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
