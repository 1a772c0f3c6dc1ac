package io.upcycle.merger;

import java.util.List;
import java.util.Locale;

/**
 * Which lambdas a merge tries. {@link #adaptive()}, the default, is a search on a log scale: it
 * starts at the powers of two from 1/8 to 2, doubles the range outward while the best mean
 * validation accuracy sits at the lowest or the highest lambda tried (never past {@code min} or
 * {@code max}), then refines around the best by factors of 2^(1/2) and 2^(1/4). So the chosen
 * lambda is interior to what was tried, unless it met a bound, which the choice reports
 * ({@link LambdaSearch.Choice#edge()}). {@link #fixed} tries exactly the lambdas given; its choice
 * reports an edge too.
 *
 * @param start the lambdas tried first (ascending, distinct, each >= 0)
 * @param min the lowest lambda the search may widen to
 * @param max the highest lambda the search may widen to
 * @param refinements halvings of the log step around the best after widening (0: none)
 */
public record LambdaGrid(List<Double> start, double min, double max, int refinements) {
    /** The adaptive search's first lambdas: 1/8 to 2 by factors of 2. */
    public static final List<Double> ADAPTIVE_START = List.of(0.125, 0.25, 0.5, 1.0, 2.0);
    /** The adaptive search's bounds: 2^-8 and 2^4. */
    public static final double ADAPTIVE_MIN = 1.0 / 256;
    public static final double ADAPTIVE_MAX = 16;

    public LambdaGrid {
        start = start.stream().sorted().distinct().toList();
        if (start.isEmpty()) {
            throw new IllegalArgumentException("at least one lambda is needed");
        }
        for (double lambda : start) {
            if (!Double.isFinite(lambda) || lambda < 0) {
                throw new IllegalArgumentException("lambda must be a finite number >= 0, was " + lambda);
            }
        }
        if (!(min <= start.get(0) && max >= start.get(start.size() - 1))) {
            throw new IllegalArgumentException("the lambda bounds [" + min + ", " + max + "] must hold the start " + start);
        }
        if (refinements < 0) {
            throw new IllegalArgumentException("refinements must be >= 0, was " + refinements);
        }
    }

    /** The default: the log-scale search widened until the best is interior, within [2^-8, 2^4]. */
    public static LambdaGrid adaptive() {
        return new LambdaGrid(ADAPTIVE_START, ADAPTIVE_MIN, ADAPTIVE_MAX, 2);
    }

    /** Exactly {@code lambdas}: no widening, no refinement. */
    public static LambdaGrid fixed(List<Double> lambdas) {
        List<Double> sorted = lambdas.stream().sorted().toList();
        return new LambdaGrid(sorted, sorted.isEmpty() ? 0 : sorted.get(0), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1), 0);
    }

    /** Whether the search may try lambdas beyond its start. */
    public boolean widens() {
        return min < start.get(0) || max > start.get(start.size() - 1) || refinements > 0;
    }

    /** How the search runs, in words, for events and merge cards. */
    public String describe() {
        return widens()
                ? String.format(Locale.ROOT, "log scale: start %s, widened by factors of 2 while the best is at an edge, "
                        + "within [%s, %s], then %d refinement(s) around the best", start, min, max, refinements)
                : "fixed grid " + start;
    }
}
