package io.upcycle.merger;

import java.util.Map;

/**
 * One configuration key, declared once: its name, its default ({@code null} when the key is
 * required) and what it means. {@link #value} reads it from a map of strings.
 */
public record ConfigKey(String name, String defaultValue, String doc) {

    /** The configured value, the default, or an error naming the key when it is required. */
    public String value(Map<String, String> values) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("missing required config key '" + name + "': " + doc);
            }
            return defaultValue;
        }
        return value.trim();
    }

    /** An error naming this key, the offending value and why it was refused. */
    public IllegalArgumentException invalid(String value, String reason) {
        return new IllegalArgumentException("invalid value '" + value + "' for config key '" + name + "': " + reason);
    }
}
