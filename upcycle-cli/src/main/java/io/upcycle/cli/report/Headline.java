package io.upcycle.cli.report;

import io.upcycle.cli.report.StudyResults.MethodResult;
import io.upcycle.cli.report.StudyResults.ModeResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's headline, computed from the numbers and honest either way: per mode, whether the
 * automatic stop beats the full budget for the headline method (TIES when it was merged, else the
 * first method), by how many points, and whether the gap exceeds the spread over seeds.
 */
public final class Headline {
    /** The method the headline speaks of when it is present. */
    public static final String PREFERRED = "ties";

    private Headline() {
    }

    /** The headline method of {@code mode}, or null when it merged none. */
    public static MethodResult method(ModeResult mode) {
        MethodResult preferred = mode.method(PREFERRED);
        return preferred != null ? preferred : mode.methods().isEmpty() ? null : mode.methods().get(0);
    }

    /** Per mode: the live rule's sentence, then one per replayed rule. */
    public static List<String> sentences(StudyResults results) {
        List<String> out = new ArrayList<>();
        for (ModeResult mode : results.modes()) {
            out.add(sentence(mode));
            MethodResult m = method(mode);
            if (m != null) {
                mode.rules().forEach(rule -> out.add(ruleSentence(mode, m, rule)));
            }
        }
        return out;
    }

    /** How a replayed rule's stops merge against the full budget, for the headline method. */
    static String ruleSentence(ModeResult mode, MethodResult m, String rule) {
        var p = m.rules().get(rule);
        if (p == null || !p.merged().present() || m.full() == null || !m.full().merged().present()) {
            return mode.mode() + " mode, " + rule + " rule: not enough merges to compare.";
        }
        double delta = p.merged().mean() - m.full().merged().mean();
        return String.format("%s mode, %s, %s rule (replayed on the same runs): %s%% vs %s%% at the full budget (%s points), "
                        + "using %s%% of the budget%s.", mode.mode(), m.method(), rule, Fmt.pct(p.merged()), Fmt.pct(m.full().merged()),
                Fmt.points(delta), Fmt.pct(p.budgetUsed(mode.fullBudget())),
                m.best() == null ? "" : "; best fixed length " + Fmt.pct(m.best().merged()) + "% @ " + m.bestLength());
    }

    static String sentence(ModeResult mode) {
        MethodResult m = method(mode);
        if (m == null || !m.auto().merged().present() || m.full() == null || !m.full().merged().present()) {
            return mode.mode() + ": not enough merges to compare the automatic stop with the full budget.";
        }
        double delta = m.auto().merged().mean() - m.full().merged().mean();
        String verdict = delta > 0 ? "beats the full budget by " + Fmt.points(delta).substring(1) + " points"
                : delta < 0 ? "does not beat the full budget: it trails by " + Fmt.points(delta).substring(1) + " points"
                : "ties with the full budget";
        String noise = Math.abs(delta) <= Math.max(m.auto().merged().sd(), m.full().merged().sd())
                ? "; the gap is within one s.d. over seeds" : "";
        String best = m.best() == null ? "" : "; the best fixed length (" + m.bestLength() + " steps, chosen on test) gives "
                + Fmt.pct(m.best().merged()) + "%";
        return String.format("%s mode, %s: automatic stop %s of mean merged test accuracy (%s%% vs %s%% at %d steps, %d seed(s))%s%s.",
                mode.mode(), m.method(), verdict, Fmt.pct(m.auto().merged()), Fmt.pct(m.full().merged()), mode.fullBudget(),
                m.auto().merged().n(), noise, best);
    }
}
