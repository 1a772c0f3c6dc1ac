package io.upcycle.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line options of the form {@code --key value} and {@code --flag}, plus positional words.
 * Each command declares the keys it knows; anything else is refused with the list of known ones.
 */
final class Args {
    private final Map<String, String> options;
    private final List<String> positional;

    private Args(Map<String, String> options, List<String> positional) {
        this.options = options;
        this.positional = positional;
    }

    /** Parses {@code words}; {@code flags} are options that take no value. */
    static Args parse(List<String> words, Set<String> flags) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("--")) {
                positional.add(word);
                continue;
            }
            String key = word.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                options.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (flags.contains(key)) {
                options.put(key, "true");
            } else if (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                options.put(key, words.get(++i));
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
        }
        return new Args(options, positional);
    }

    /** Refuses options outside {@code known}, naming them and the known ones. */
    Args requireKnown(Set<String> known) {
        for (String key : options.keySet()) {
            if (!known.contains(key) && !key.equals("help")) {
                throw new IllegalArgumentException("unknown option --" + key + " (known: --" + String.join(", --", known.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(options.get(key));
    }

    String get(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    int getInt(String key, int fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got '" + value + "'");
        }
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(options.getOrDefault(key, "false"));
    }

    /** All options, for services that parse their own typed config. */
    Map<String, String> options() {
        return Map.copyOf(options);
    }

    List<String> positional() {
        return List.copyOf(positional);
    }
}
