package io.upcycle.config;

import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validators for rules {@link ConfigDef} has no ready validator for; each describes itself for the help and README. */
public final class Validators {
    private Validators() {
    }

    /** A string value that satisfies {@code rule}, described as {@code description} ("a URL"). */
    public static ConfigDef.Validator text(Predicate<String> rule, String description) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value != null && !rule.test(value.toString())) {
                throw new ConfigException(name, value, "must be " + description);
            }
        }, () -> description);
    }

    /** A number value that satisfies {@code rule}, described as {@code description}. */
    public static ConfigDef.Validator number(Predicate<Number> rule, String description) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value != null && !rule.test((Number) value)) {
                throw new ConfigException(name, value, "must be " + description);
            }
        }, () -> description);
    }

    /** A list whose every element satisfies {@code rule}, described as {@code description}. */
    public static ConfigDef.Validator eachOf(Predicate<String> rule, String description) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value == null) {
                return;
            }
            for (Object element : (List<?>) value) {
                if (!rule.test(element.toString())) {
                    throw new ConfigException(name, value, "'" + element + "' is not " + description);
                }
            }
        }, () -> "each " + description);
    }
}
