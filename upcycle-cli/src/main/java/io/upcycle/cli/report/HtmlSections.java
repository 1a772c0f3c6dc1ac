package io.upcycle.cli.report;

import io.upcycle.cli.report.StudyResults.Difficulty;
import io.upcycle.cli.report.StudyResults.MethodResult;
import io.upcycle.cli.report.StudyResults.ModeResult;
import io.upcycle.cli.report.StudyResults.PointResult;
import io.upcycle.cli.report.StudyResults.TaskStop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report's tables: headline numbers, per task, stops, easy vs hard, compute and provenance. */
final class HtmlSections {
    private static final PointResult EMPTY = new PointResult("", Stat.NONE, Stat.NONE, Stat.NONE, Map.of(), Map.of(), Map.of(),
            Map.of(), Map.of(), Map.of(), Stat.NONE, 0, List.of());
    private HtmlSections() {
    }

    static void headlineTable(StringBuilder out, ModeResult mode) {
        out.append("<h3>Merged accuracy: each rule's stops vs full budget vs best fixed length</h3>\n<table>\n");
        List<String> head = new ArrayList<>(List.of("method", mode.autoRule() + " (auto): merged %"));
        mode.rules().forEach(r -> head.add(r + " (replayed): merged %"));
        head.addAll(List.of("full budget: merged %", "best fixed length (on test)", "auto − full (points)", "λ at auto",
                "auto: normalized %", "full: normalized %"));
        out.append(Html.head(head));
        List<MethodResult> rows = new ArrayList<>(mode.methods());
        if (mode.baseHeads() != null) {
            rows.add(mode.baseHeads());
        }
        for (MethodResult m : rows) {
            PointResult full = m.full();
            PointResult best = m.best();
            List<String> row = new ArrayList<>(List.of(m.equals(mode.baseHeads()) ? "base trunk + each expert's head (λ = 0)" : m.method(),
                    Fmt.pct(m.auto().merged())));
            mode.rules().forEach(r -> row.add(Fmt.pct(m.rules().getOrDefault(r, EMPTY).merged())));
            row.addAll(List.of(full == null ? "n/a" : Fmt.pct(full.merged()), best == null ? "n/a" : Fmt.pct(best.merged()) + " @ "
                    + m.bestLength(), full == null ? "n/a" : Fmt.points(m.auto().merged().mean() - full.merged().mean()),
                    lambda(m.auto()), Fmt.pct(m.auto().normalized()), full == null ? "n/a" : Fmt.pct(full.normalized())));
            out.append(Html.row(row));
        }
        if (mode.linearProbe().merged().present()) {
            List<String> row = new ArrayList<>(List.of("linear probe (frozen base)", Fmt.pct(mode.linearProbe().merged())));
            while (row.size() < head.size()) {
                row.add("");
            }
            out.append(Html.row(row));
        }
        out.append("</table>\n<p class=\"muted\">The best fixed length is chosen on the test scores themselves: an oracle bound, "
                + "not a method. λ is searched on validation on a log scale until the best is interior; \"edge\" counts the "
                + "merges (of one per seed) whose λ was still the lowest or highest tried, at a bound of the search.</p>\n");
    }

    /** The chosen λ over seeds, with the count of merges whose λ sat at an edge of its search. */
    static String lambda(PointResult p) {
        if (!p.lambda().present()) {
            return "n/a";
        }
        String value = Fmt.num(p.lambda().mean(), p.lambda().mean() < 0.1 ? 3 : 2);
        return p.lambdaAtEdge() == 0 ? value : value + " (edge: " + p.lambdaAtEdge() + " of " + p.lambda().n() + ")";
    }

    /**
     * The stop rules side by side on the same runs: the live rule, each replayed rule and the full
     * budget, with the steps each would train and each method's merged accuracy at its stops.
     */
    static void rules(StringBuilder out, ModeResult mode) {
        out.append("<h3>Stop rules compared on the same runs</h3>\n<p class=\"muted\">One observe pass: the live rule decided "
                + "while the experts trained; each other rule was replayed on the same recorded log by the monitor's own topology. "
                + "Steps: per task, the mean decided step → the mean step of the checkpoint merged. Budget used: the mean decided "
                + "step over all runs / the budget.</p>\n<table>\n");
        List<String> head = new ArrayList<>(List.of("rule", "budget used %", "steps saved %"));
        mode.tasks().forEach(t -> head.add(t + ": decided → merged"));
        mode.methods().forEach(m -> head.add(m.method() + " %"));
        out.append(Html.head(head));
        MethodResult any = mode.methods().isEmpty() ? mode.baseHeads() : mode.methods().get(0);
        if (any == null) {
            out.append("</table>\n");
            return;
        }
        Map<String, java.util.function.Function<MethodResult, PointResult>> rows = new java.util.LinkedHashMap<>();
        rows.put(mode.autoRule() + " (live)", MethodResult::auto);
        mode.rules().forEach(r -> rows.put(r + " (replayed)", m -> m.rules().getOrDefault(r, EMPTY)));
        rows.forEach((name, at) -> {
            PointResult p = at.apply(any);
            double used = p.budgetUsed(mode.fullBudget());
            List<String> row = new ArrayList<>(List.of(name, Fmt.pct(used), Fmt.pct(1 - used)));
            for (String task : mode.tasks()) {
                row.add(steps(p.decidedByTask().get(task)) + " → " + steps(p.stepByTask().get(task)));
            }
            mode.methods().forEach(m -> row.add(Fmt.pct(at.apply(m).merged())));
            out.append(Html.row(row));
        });
        List<String> full = new ArrayList<>(List.of("budget (" + mode.fullBudget() + " steps)", "100.0", "0.0"));
        mode.tasks().forEach(t -> full.add(mode.fullBudget() + " → " + mode.fullBudget()));
        mode.methods().forEach(m -> full.add(m.full() == null ? "n/a" : Fmt.pct(m.full().merged())));
        out.append(Html.row(full));
        out.append("</table>\n");
    }

    private static String steps(Stat s) {
        return s == null || !s.present() ? "n/a" : Long.toString(Math.round(s.mean()));
    }

    static void perTask(StringBuilder out, ModeResult mode) {
        out.append("<h3>Per task</h3>\n");
        MethodResult headline = Headline.method(mode);
        for (MethodResult m : mode.methods()) {
            out.append(m.equals(headline) ? "<details open>" : "<details>").append("<summary>").append(Html.esc(m.method()))
                    .append("</summary>\n<table>\n");
            List<String> head = new ArrayList<>(List.of("task", "auto: decided step", "auto: merged step", "expert % auto",
                    "expert % full", "merged % auto"));
            mode.rules().forEach(r -> head.addAll(List.of(r + ": merged step", "merged % " + r)));
            head.addAll(List.of("merged % full", "merged % best (" + m.bestLength() + ")", "normalized % auto", "normalized % full",
                    "base + head % auto", "linear probe %"));
            out.append(Html.head(head));
            PointResult baseHeads = mode.baseHeads() == null ? EMPTY : mode.baseHeads().auto();
            for (String task : mode.tasks()) {
                PointResult full = m.full() == null ? EMPTY : m.full();
                PointResult best = m.best() == null ? EMPTY : m.best();
                List<String> row = new ArrayList<>(List.of(task, Fmt.step(m.auto().decidedByTask().get(task)),
                        Fmt.step(m.auto().stepByTask().get(task)), Fmt.pct(m.auto().expertByTask().get(task)),
                        Fmt.pct(full.expertByTask().get(task)), Fmt.pct(m.auto().mergedByTask().get(task))));
                for (String rule : mode.rules()) {
                    PointResult p = m.rules().getOrDefault(rule, EMPTY);
                    row.addAll(List.of(Fmt.step(p.stepByTask().get(task)), Fmt.pct(p.mergedByTask().get(task))));
                }
                row.addAll(List.of(Fmt.pct(full.mergedByTask().get(task)), Fmt.pct(best.mergedByTask().get(task)),
                        Fmt.pct(m.auto().normalizedByTask().get(task)), Fmt.pct(full.normalizedByTask().get(task)),
                        Fmt.pct(baseHeads.mergedByTask().get(task)), Fmt.pct(mode.linearProbe().mergedByTask().get(task))));
                out.append(Html.row(row));
            }
            out.append("</table></details>\n");
        }
        if (headline != null) {
            out.append("<details><summary>Expert accuracy per task at every length</summary>\n<table>\n");
            List<String> head = new ArrayList<>(List.of("task", "auto"));
            headline.byLength().keySet().forEach(l -> head.add(Long.toString(l)));
            out.append(Html.head(head));
            for (String task : mode.tasks()) {
                List<String> row = new ArrayList<>(List.of(task, Fmt.pct(headline.auto().expertByTask().get(task))));
                headline.byLength().values().forEach(p -> row.add(Fmt.pct(p.expertByTask().get(task))));
                out.append(Html.row(row));
            }
            out.append("</table></details>\n");
        }
    }

    static void stops(StringBuilder out, ModeResult mode) {
        out.append("<h3>Where each run stopped, and why</h3>\n<table>\n");
        out.append(Html.head(List.of("task", "seed", "pass", "decided at step", "checkpoint merged", "policy", "mode", "reason",
                "run ended", "run id")));
        for (TaskStop s : mode.stops()) {
            out.append(Html.row(List.of(s.task(), Long.toString(s.seed()), s.pass(), Long.toString(s.decidedAtStep()),
                    s.checkpointStep() == null ? "none" : Long.toString(s.checkpointStep()), s.policy() + " v" + s.policyVersion(),
                    s.decisionMode(), s.reason(), s.finalStep() == null ? "" : s.endReason() + " at " + s.finalStep(), s.runId())));
        }
        out.append("</table>\n");
    }

    static void easyHard(StringBuilder out, ModeResult mode) {
        out.append("<h3>Easy vs hard examples: what the merge keeps</h3>\n<p class=\"muted\">Training examples split by EL2N "
                + "under an early checkpoint (hard: the top fraction). Kept = merged accuracy / expert accuracy on that split.</p>\n");
        List<String> rows = new ArrayList<>();
        for (MethodResult m : mode.methods()) {
            for (Map.Entry<String, PointResult> point : points(m)) {
                for (Map.Entry<String, Difficulty> e : point.getValue().difficultyByTask().entrySet()) {
                    Difficulty d = e.getValue();
                    rows.add(Html.row(List.of(m.method(), point.getKey(), e.getKey(), Fmt.pct(d.expertEasy()), Fmt.pct(d.mergedEasy()),
                            kept(d.mergedEasy(), d.expertEasy()), Fmt.pct(d.expertHard()), Fmt.pct(d.mergedHard()),
                            kept(d.mergedHard(), d.expertHard()))));
                }
            }
        }
        if (rows.isEmpty()) {
            out.append("<p>No merge in this mode carries easy/hard scores.</p>\n");
            return;
        }
        out.append("<table>\n").append(Html.head(List.of("method", "point", "task", "expert easy %", "merged easy %", "kept easy %",
                "expert hard %", "merged hard %", "kept hard %")));
        rows.forEach(out::append);
        out.append("</table>\n");
    }

    private static List<Map.Entry<String, PointResult>> points(MethodResult m) {
        List<Map.Entry<String, PointResult>> out = new ArrayList<>();
        out.add(Map.entry("auto", m.auto()));
        if (m.full() != null) {
            out.add(Map.entry("full budget", m.full()));
        }
        return out;
    }

    private static String kept(Stat merged, Stat expert) {
        return merged.present() && expert.present() && expert.mean() > 0 ? Fmt.pct(merged.mean() / expert.mean()) : "n/a";
    }

    static void compute(StringBuilder out, ModeResult mode) {
        out.append("<h3>Compute: enforce mode vs the full budget</h3>\n");
        if (mode.compute() == null) {
            out.append("<p>No enforce pass was run in this mode.</p>\n");
            return;
        }
        var c = mode.compute();
        out.append(String.format("<p class=\"compute\">With the stop enforced, %d run(s) trained <b>%d</b> steps against a budget of "
                + "<b>%d</b>: <b>%s%%</b> of the steps saved (%d steps).</p>\n", c.runs(), c.stepsTrained(), c.budgetSteps(),
                Fmt.num(c.savedPercent(), 1), c.budgetSteps() - c.stepsTrained()));
        var lag = c.stopLag();
        if (lag.timed() > 0) {
            out.append(String.format("<p class=\"compute\">Time to stop: from the decided step's events going out to the "
                            + "trainer's loop stopping, p50 <b>%s ms</b>, p99 <b>%s ms</b> (max %s ms) over %d of %d stopped run(s); "
                            + "a median of %s and at most %d step(s) trained past the decided step.</p>\n", Fmt.num(lag.p50Ms(), 0),
                    Fmt.num(lag.p99Ms(), 0), Fmt.num(lag.maxMs(), 0), lag.timed(), lag.stopped(), Fmt.num(lag.p50Steps(), 0),
                    lag.maxSteps()));
        }
    }

    static void provenance(StringBuilder out, Provenance p) {
        out.append("<h2 id=\"provenance\">Provenance</h2>\n<p class=\"muted\">Every number above comes from these events: runs "
                + "(RunStarted/RunEnded), stop decisions (policy and version above) and merge results with their experts' "
                + "checkpoint sha256.</p>\n<details><summary>Runs (").append(p.runs().size()).append(")</summary>\n<table>\n");
        out.append(Html.head(List.of("run id", "task", "mode", "seed", "pass", "budget", "ended", "base sha256", "dataset")));
        for (Provenance.RunRow r : p.runs()) {
            out.append(Html.row(List.of(r.runId(), r.task(), r.mode(), Long.toString(r.seed()), r.pass(), Long.toString(r.budget()),
                    r.finalStep() == null ? "" : r.endReason() + " at " + r.finalStep(), r.baseModelSha256(), r.datasetFingerprint())));
        }
        out.append("</table></details>\n<details><summary>Merges (").append(p.merges().size()).append(")</summary>\n<table>\n");
        out.append(Html.head(List.of("merge id", "mode", "method", "seed", "point", "λ", "λ tried", "experts (run @ step : checkpoint sha256)",
                "output sha256")));
        for (Provenance.MergeRow m : p.merges()) {
            StringBuilder experts = new StringBuilder();
            m.experts().forEach(e -> experts.append(e.runId()).append(" @ ").append(e.step()).append(" : ").append(e.sha256()).append("; "));
            out.append(Html.row(List.of(m.mergeId(), m.mode(), m.method(), Long.toString(m.seed()), m.point(),
                    m.lambda() == null ? "" : m.lambda() + (m.lambdaEdge() == null || m.lambdaEdge().equals("none") ? ""
                            : " (at the " + m.lambdaEdge() + " edge)"), m.lambdaTried() == null ? "" : m.lambdaTried(),
                    experts.toString(), m.outputSha256())));
        }
        out.append("</table></details>\n");
    }
}
