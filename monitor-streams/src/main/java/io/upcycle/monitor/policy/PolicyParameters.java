package io.upcycle.monitor.policy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a policy's parameters from strings, with defaults, range checks and a refusal of names
 * the policy does not know (a typo must not silently fall back to a default).
 */
public final class PolicyParameters {
    private final String policy;
    private final Map<String, String> given;

    private PolicyParameters(String policy, Map<String, String> given) {
        this.policy = policy;
        this.given = given;
    }

    /** Parameters of {@code policy}; fails if {@code given} holds a name outside {@code known}. */
    public static PolicyParameters of(String policy, Map<String, String> given, Set<String> known) {
        Map<String, String> canonical = new LinkedHashMap<>();
        given.forEach((name, value) -> canonical.put(canonical(name), value));
        for (String name : canonical.keySet()) {
            if (!known.contains(name)) {
                throw new PolicyParameterException(name, "policy " + policy + " has no parameter '" + name
                        + "'; known: " + new TreeSet<>(known));
            }
        }
        return new PolicyParameters(policy, canonical);
    }

    /**
     * A parameter's name in the one key style: lower-case words joined by dots. Logs recorded
     * before it name parameters in camel case ({@code minSteps}); they read as {@code min.steps}.
     */
    public static String canonical(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1.$2").toLowerCase(Locale.ROOT);
    }

    /** {@code parameters} under their canonical names, sorted: how a recorded decision's compare with a replayed one's. */
    public static Map<String, String> canonical(Map<String, String> parameters) {
        Map<String, String> canonical = new TreeMap<>();
        parameters.forEach((name, value) -> canonical.put(canonical(name), value));
        return canonical;
    }

    /** A number in [{@code min}, {@code max}] ({@code exclusiveMin}: strictly above {@code min}). */
    public double number(String name, double fallback, double min, boolean exclusiveMin, double max) {
        String text = given.get(name);
        double value;
        try {
            value = text == null ? fallback : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, text, "a number");
        }
        boolean aboveMin = exclusiveMin ? value > min : value >= min;
        if (!aboveMin || !(value <= max)) {
            throw invalid(name, text, "a number in " + (exclusiveMin ? "(" : "[") + min + ", " + max + "]");
        }
        return value;
    }

    /** A whole number of at least {@code min}. */
    public long whole(String name, long fallback, long min) {
        String text = given.get(name);
        long value;
        try {
            value = text == null ? fallback : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, text, "a whole number");
        }
        if (value < min) {
            throw invalid(name, text, "a whole number >= " + min);
        }
        return value;
    }

    /** {@code true} or {@code false} (any case). */
    public boolean flag(String name, boolean fallback) {
        String text = given.get(name);
        if (text == null) {
            return fallback;
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw invalid(name, text, "true or false");
        }
        return value.equals("true");
    }

    private PolicyParameterException invalid(String name, String text, String expected) {
        return new PolicyParameterException(name, "parameter " + name + " of policy " + policy + " must be "
                + expected + ", got '" + text + "'");
    }
}
