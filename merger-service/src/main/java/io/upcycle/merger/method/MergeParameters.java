package io.upcycle.merger.method;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The knobs of one merge: the scaling {@code lambda} applied to the combined task vector, the
 * seed of any random choice (DARE masks), and method-specific extras (e.g. a TIES density).
 */
public record MergeParameters(double lambda, long seed, Map<String, String> extra) {

    public MergeParameters {
        if (!Double.isFinite(lambda) || lambda < 0) {
            throw new IllegalArgumentException("lambda must be a finite number >= 0, was " + lambda);
        }
        extra = Map.copyOf(extra);
    }

    /** Plain task arithmetic parameters: a scaling and no extras. */
    public static MergeParameters ofLambda(double lambda) {
        return new MergeParameters(lambda, 0L, Map.of());
    }

    /** The same parameters with another lambda (the lambda search tries several). */
    public MergeParameters withLambda(double newLambda) {
        return new MergeParameters(newLambda, seed, extra);
    }

    /** All parameters as strings, for events and merge cards. */
    public Map<String, String> asStrings() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("lambda", Double.toString(lambda));
        all.put("seed", Long.toString(seed));
        all.putAll(extra);
        return all;
    }
}
