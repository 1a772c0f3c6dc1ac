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
            out.append(String.format("%n%s (full budget %d steps, %d seed(s)%s)%n", mode.mode(), mode.fullBudget(),
                    mode.seeds().size(), mode.heads().isEmpty() ? "" : ", heads " + mode.heads()));
            StringBuilder head = new StringBuilder(String.format("  %-16s %-13s", "method", "auto stop"));
            mode.rules().forEach(r -> head.append(String.format(" %-13s", r)));
            out.append(head).append(String.format(" %-13s %-20s %s%n", "full budget", "best fixed (test)", "auto-full"));
            List<MethodResult> rows = new java.util.ArrayList<>(mode.methods());
            if (mode.baseHeads() != null) {
                rows.add(mode.baseHeads());
            }
            for (MethodResult m : rows) {
                String full = m.full() == null ? "n/a" : Fmt.pct(m.full().merged());
                String best = m.best() == null ? "n/a" : Fmt.pct(m.best().merged()) + " @" + m.bestLength();
                String delta = m.full() == null ? "n/a" : Fmt.points(m.auto().merged().mean() - m.full().merged().mean());
                StringBuilder row = new StringBuilder(String.format("  %-16s %-13s", m.method(), Fmt.pct(m.auto().merged())));
                mode.rules().forEach(r -> row.append(String.format(" %-13s",
                        m.rules().containsKey(r) ? Fmt.pct(m.rules().get(r).merged()) : "n/a")));
                out.append(row).append(String.format(" %-13s %-20s %s%n", full, best, delta));
            }
            if (mode.linearProbe().merged().present()) {
                out.append(String.format("  %-16s %s%n", "linear probe", Fmt.pct(mode.linearProbe().merged())));
            }
            if (!mode.methods().isEmpty() && !mode.methods().get(0).auto().decidedByTask().isEmpty()) {
                MethodResult any = mode.methods().get(0);
                StringBuilder used = new StringBuilder("  budget used by each rule's stops: " + mode.autoRule() + " "
                        + Fmt.pct(any.auto().budgetUsed(mode.fullBudget())) + "%");
                any.rules().forEach((r, p) -> used.append(", ").append(r).append(' ').append(Fmt.pct(p.budgetUsed(mode.fullBudget())))
                        .append('%'));
                out.append(used).append('\n');
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
                StudyResults.StopLag lag = mode.compute().stopLag();
                if (lag.timed() > 0) {
                    out.append(String.format("  time to stop: p50 %s ms, p99 %s ms over %d run(s); up to %d step(s) past the decided step%n",
                            Fmt.num(lag.p50Ms(), 0), Fmt.num(lag.p99Ms(), 0), lag.timed(), lag.maxSteps()));
                }
            }
        }
        out.append('\n');
        List<String> headline = Headline.sentences(results);
        headline.forEach(s -> out.append(s).append('\n'));
        return out.toString();
    }
}
