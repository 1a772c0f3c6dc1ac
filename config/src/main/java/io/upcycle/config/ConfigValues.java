package io.upcycle.config;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * A service's configuration after {@link ConfigSpec#parse}: every key typed and validated, read
 * with {@link AbstractConfig}'s getters; keys under an open prefix via {@link #withPrefix}.
 */
public final class ConfigValues extends AbstractConfig {
    private final ConfigSpec spec;

    ConfigValues(ConfigSpec spec, Map<String, ?> values) {
        super(spec.definition(), values, false);
        this.spec = spec;
    }

    public ConfigSpec spec() {
        return spec;
    }

    /** The keys given under {@code prefix} (one of the spec's open prefixes), with the prefix cut off, as text. */
    public Map<String, String> withPrefix(String prefix) {
        if (!spec.prefixes().containsKey(prefix)) {
            throw new IllegalArgumentException("not an open prefix of the " + spec.service() + ": " + prefix);
        }
        Map<String, String> values = new java.util.TreeMap<>();
        originalsWithPrefix(prefix, true).forEach((key, value) -> values.put(key, String.valueOf(value).trim()));
        return values;
    }

    /** Whether {@code key} was given (not its default). */
    public boolean given(String key) {
        return originals().containsKey(key);
    }

    /** An error about {@code key}'s value, in the one format. */
    public ConfigException invalid(String key, String why) {
        return ConfigSpec.invalid(key, originals().getOrDefault(key, get(key)), why);
    }
}
