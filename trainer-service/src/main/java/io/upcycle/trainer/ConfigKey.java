package io.upcycle.trainer;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once: name, documentation, default, parser and validator. A bad
 * value fails with a message that names the key, says what it expects and shows what it got.
 *
 * @param name the key as written on the command line ({@code --name value}), kebab-case
 * @param doc what it controls
 * @param defaultValue its value when not given, as text (parsed and validated like user input)
 * @param parser text to value; may throw {@link IllegalArgumentException}
 * @param valid the rule the value must satisfy
 * @param expectation the rule in words ("a whole number > 0")
 */
public record ConfigKey<T>(String name, String doc, String defaultValue, Function<String, T> parser, Predicate<T> valid,
                           String expectation) {

    /** Parses and validates {@code text} (the default when null). */
    public T read(String text) {
        String raw = text == null ? defaultValue : text.trim();
        T value;
        try {
            value = parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(invalid(raw), e);
        }
        if (!valid.test(value)) {
            throw new IllegalArgumentException(invalid(raw));
        }
        return value;
    }

    private String invalid(String raw) {
        return "config key '" + name + "' must be " + expectation + ", got '" + raw + "'";
    }

    static ConfigKey<Long> longKey(String name, String doc, long defaultValue, long min) {
        return new ConfigKey<>(name, doc, Long.toString(defaultValue), Long::parseLong, v -> v >= min,
                "a whole number >= " + min);
    }

    static ConfigKey<Integer> intKey(String name, String doc, int defaultValue, int min) {
        return new ConfigKey<>(name, doc, Integer.toString(defaultValue), Integer::parseInt, v -> v >= min,
                "a whole number >= " + min);
    }

    static ConfigKey<Float> positiveFloat(String name, String doc, float defaultValue) {
        return new ConfigKey<>(name, doc, Float.toString(defaultValue), Float::parseFloat,
                v -> v > 0 && !v.isInfinite(), "a positive number");
    }

    static ConfigKey<Boolean> flag(String name, String doc, boolean defaultValue) {
        return new ConfigKey<>(name, doc, Boolean.toString(defaultValue), ConfigKey::parseBoolean, v -> true, "true or false");
    }

    static ConfigKey<String> text(String name, String doc, String defaultValue, Predicate<String> valid, String expectation) {
        return new ConfigKey<>(name, doc, defaultValue, Function.identity(), valid, expectation);
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean: " + text);
        };
    }
}
