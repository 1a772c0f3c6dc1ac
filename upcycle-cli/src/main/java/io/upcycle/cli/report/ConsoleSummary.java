package io.upcycle.cli.report;

import io.upcycle.cli.report.StudyResults.MethodResult;
import io.upcycle.cli.report.StudyResults.ModeResult;
import io.upcycle.cli.report.StudyResults.TaskStop;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The headline numbers of a study as a compact text table for the console. */
public final class ConsoleSummary {
    private ConsoleSummary() {
    }

    public static String format(StudyResults results) {
        StringBuilder out = new StringBuilder();
        out.append("Study ").append(results.studyId()).append(": mean merged test accuracy % (mean ± s.d. over seeds)\n");
        for (ModeResult mode : results.modes()) {
            out.append(String.format("%n%s (full budget %d steps, %d seed(s))%n", mode.mode(), mode.fullBudget(), mode.seeds().size()));
            out.append(String.format("  %-16s %-13s %-13s %-20s %s%n", "method", "auto stop", "full budget", "best fixed (test)",
                    "auto-full"));
            for (MethodResult m : mode.methods()) {
                String full = m.full() == null ? "n/a" : Fmt.pct(m.full().merged());
                String best = m.best() == null ? "n/a" : Fmt.pct(m.best().merged()) + " @" + m.bestLength();
                String delta = m.full() == null ? "n/a" : Fmt.points(m.auto().merged().mean() - m.full().merged().mean());
                out.append(String.format("  %-16s %-13s %-13s %-20s %s%n", m.method(), Fmt.pct(m.auto().merged()), full, best, delta));
            }
            if (mode.linearProbe().merged().present()) {
                out.append(String.format("  %-16s %s%n", "linear probe", Fmt.pct(mode.linearProbe().merged())));
            }
            Map<String, String> stops = new LinkedHashMap<>();
            for (TaskStop s : HtmlReport.observeStops(mode)) {
                stops.merge(s.task(), String.valueOf(s.checkpointStep() != null ? s.checkpointStep() : s.decidedAtStep()),
                        (a, b) -> a + "/" + b);
            }
            out.append("  stop steps (per seed): ")
                    .append(stops.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))
                    .append('\n');
            if (mode.compute() != null) {
                out.append(String.format("  enforce pass: %d of %d budget steps trained, %s%% saved%n", mode.compute().stepsTrained(),
                        mode.compute().budgetSteps(), Fmt.num(mode.compute().savedPercent(), 1)));
            }
        }
        out.append('\n');
        List<String> headline = Headline.sentences(results);
        headline.forEach(s -> out.append(s).append('\n'));
        return out.toString();
    }
}
