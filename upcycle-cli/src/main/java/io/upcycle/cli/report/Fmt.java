package io.upcycle.cli.report;

import java.util.Locale;

/** Number formats shared by the HTML, the console summary and the headline: accuracies as percent. */
final class Fmt {
    private Fmt() {
    }

    /** {@code 0.8123} as {@code 81.2}; "n/a" for NaN. */
    static String pct(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    /** Mean ± s.d. in percent, e.g. {@code 81.2 ± 0.7}; "n/a" without values. */
    static String pct(Stat s) {
        return s == null || !s.present() ? "n/a" : pct(s.mean()) + " ± " + pct(s.sd());
    }

    /** Percentage points between two fractions, signed, e.g. {@code +3.1}. */
    static String points(double delta) {
        return Double.isNaN(delta) ? "n/a" : String.format(Locale.ROOT, "%+.1f", 100 * delta);
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A step, or the steps per seed when they differ (e.g. {@code 256} or {@code 256/512/256}). */
    static String step(Stat steps) {
        if (steps == null || !steps.present()) {
            return "n/a";
        }
        double min = steps.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = steps.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return min == max ? Long.toString((long) min)
                : String.join("/", steps.values().stream().map(v -> Long.toString(v.longValue())).toList());
    }
}
