package io.upcycle.merger.method;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The knobs of one merge: the scaling {@code lambda} applied to the combined task vector, the
 * seed of any random choice (DARE masks), and method-specific extras (e.g. a TIES density).
 */
public record MergeParameters(double lambda, long seed, Map<String, String> extra) {
    /** Extra key of the fraction of each task vector that sparsification keeps. */
    public static final String DENSITY = "density";
    /** Extra key of what a magnitude trim ranks over: {@code tensor} or {@code global} ({@link TrimScope}). */
    public static final String TRIM_SCOPE = "trim_scope";

    public MergeParameters {
        if (!Double.isFinite(lambda) || lambda < 0) {
            throw new IllegalArgumentException("lambda must be a finite number >= 0, was " + lambda);
        }
        extra = Map.copyOf(extra);
        if (extra.containsKey(DENSITY)) {
            parseDensity(extra.get(DENSITY));
        }
        if (extra.containsKey(TRIM_SCOPE)) {
            TrimScope.parse(extra.get(TRIM_SCOPE));
        }
    }

    /** Plain task arithmetic parameters: a scaling and no extras. */
    public static MergeParameters ofLambda(double lambda) {
        return new MergeParameters(lambda, 0L, Map.of());
    }

    /** The same parameters with another lambda (the lambda search tries several). */
    public MergeParameters withLambda(double newLambda) {
        return new MergeParameters(newLambda, seed, extra);
    }

    /** The same parameters with {@code key} set to {@code value}. */
    public MergeParameters with(String key, String value) {
        Map<String, String> more = new HashMap<>(extra);
        more.put(key, value);
        return new MergeParameters(lambda, seed, more);
    }

    /** The density, when one was given. */
    public OptionalDouble density() {
        String value = extra.get(DENSITY);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(parseDensity(value));
    }

    /** The trim scope; {@link TrimScope#TENSOR} when none was given. */
    public TrimScope trimScope() {
        String value = extra.get(TRIM_SCOPE);
        return value == null ? TrimScope.TENSOR : TrimScope.parse(value);
    }

    /** All parameters as strings, for events and merge cards. */
    public Map<String, String> asStrings() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("lambda", Double.toString(lambda));
        all.put("seed", Long.toString(seed));
        extra.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> all.put(e.getKey(), e.getValue()));
        return all;
    }

    private static double parseDensity(String value) {
        try {
            double density = Double.parseDouble(value);
            MagnitudeThreshold.checkDensity(density);
            return density;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("density must be a number in [0, 1], was '" + value + "'");
        }
    }
}
