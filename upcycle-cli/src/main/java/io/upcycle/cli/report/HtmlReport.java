package io.upcycle.cli.report;

import io.upcycle.cli.report.StudyResults.MethodResult;
import io.upcycle.cli.report.StudyResults.ModeResult;
import io.upcycle.cli.report.StudyResults.PointResult;
import io.upcycle.cli.report.StudyResults.TaskStop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The study's report as ONE self-contained HTML page: inline CSS and hand-written inline SVG, no
 * script, nothing fetched, so it opens offline. Per mode: merged accuracy vs expert training length
 * (one line per method, each task's stop marked, expert accuracy and the linear probe on the same
 * axes), the headline table, per-task results, stops, signals over time, easy vs hard, compute; then
 * provenance. Everything is computed from {@link StudyResults}.
 */
public final class HtmlReport {
    static final List<String> METHOD_COLORS = List.of("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf");
    static final List<String> TASK_COLORS = List.of("#e377c2", "#ff7f0e", "#bcbd22", "#17becf", "#7f7f7f", "#8c564b");
    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
            h1{font-size:24px;margin-bottom:4px}h2{margin-top:36px;border-bottom:2px solid #ddd;padding-bottom:4px}h3{margin-top:24px}
            .headline{background:#f3f7ff;border-left:4px solid #1f77b4;padding:10px 14px;font-size:15px}
            .headline p{margin:4px 0}.warn{background:#fff6e0;border-left:4px solid #e0a000;padding:6px 12px}
            table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 8px;vertical-align:top}
            th{background:#f4f4f4;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            figure{margin:8px 0;display:inline-block}figcaption{font-size:12px;color:#555;max-width:700px}
            svg text.tick{font-size:10px;fill:#555}svg text.label{font-size:11px;fill:#333}svg text.legend{font-size:11px;fill:#222}
            .muted{color:#666;font-size:12px}code{font-size:12px}details{margin:8px 0}summary{cursor:pointer;font-weight:600}
            .pair{display:flex;flex-wrap:wrap;gap:8px}.pair figure svg{width:540px;height:auto}
            """;

    private HtmlReport() {
    }

    /** The page for {@code results}; {@code source} names the log it was built from. */
    public static String render(StudyResults results, String source) {
        StringBuilder out = new StringBuilder(1 << 16);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Upcycle study ")
                .append(Html.esc(results.studyId())).append("</title>\n<style>\n").append(STYLE).append("</style></head><body>\n");
        out.append("<h1>Do undertrained experts merge better? Upcycle study ").append(Html.esc(results.studyId())).append("</h1>\n");
        out.append("<p class=\"muted\">Built from the event log <code>").append(Html.esc(source)).append("</code> alone ")
                .append("(<code>upcycle report --from-file</code> rebuilds it). Accuracies are test accuracies in percent: per seed ")
                .append("the mean over tasks, then mean ± sample s.d. over seeds.</p>\n");
        out.append("<div class=\"headline\">");
        Headline.sentences(results).forEach(s -> out.append("<p>").append(Html.esc(s)).append("</p>"));
        out.append("</div>\n");
        for (String w : results.warnings()) {
            out.append("<p class=\"warn\">").append(Html.esc(w)).append("</p>\n");
        }
        for (ModeResult mode : results.modes()) {
            mode(out, mode);
        }
        HtmlSections.provenance(out, results.provenance());
        out.append("</body></html>\n");
        return out.toString();
    }

    private static void mode(StringBuilder out, ModeResult mode) {
        out.append("<h2 id=\"mode-").append(Html.esc(mode.mode())).append("\">").append(Html.esc(mode.mode()))
                .append(" fine-tuning</h2>\n");
        out.append("<p class=\"muted\">").append(mode.tasks().size()).append(" tasks (").append(Html.esc(String.join(", ", mode.tasks())))
                .append("), seeds ").append(Html.esc(mode.seeds())).append(", full budget ").append(mode.fullBudget())
                .append(" steps, fixed lengths ").append(Html.esc(mode.lengths())).append("; heads: ").append(Html.esc(headsText(mode)))
                .append(". Automatic stop: the live rule, ").append(Html.esc(mode.autoRule())).append(mode.rules().isEmpty() ? ""
                        : "; replayed on the same runs: " + Html.esc(String.join(", ", mode.rules()))).append(".</p>\n");
        out.append(accuracyChart(mode));
        HtmlSections.headlineTable(out, mode);
        HtmlSections.rules(out, mode);
        HtmlSections.perTask(out, mode);
        HtmlSections.stops(out, mode);
        HtmlSignals.signals(out, mode);
        HtmlSections.easyHard(out, mode);
        HtmlSections.compute(out, mode);
    }

    /** Merged accuracy vs expert training length: one line per method, expert and probe dashed, stops as vertical markers. */
    static String accuracyChart(ModeResult mode) {
        SvgChart chart = new SvgChart(mode.mode() + ": mean merged test accuracy vs expert training length (one line per method; "
                + "dashed dark: the experts alone; dashed grey: the base trunk with each expert's head, lambda 0; dotted: linear "
                + "probe). Vertical dashed lines: each task's automatic stop (the checkpoint merged), one per seed. Diamonds: "
                + "each method's merge at the automatic stops, triangles at a replayed rule's stops, placed at the geometric "
                + "mean of the experts' steps.", "accuracy (%)", true);
        List<Long> lengths = mode.lengths();
        for (int i = 0; i < mode.methods().size(); i++) {
            MethodResult m = mode.methods().get(i);
            String color = METHOD_COLORS.get(i % METHOD_COLORS.size());
            chart.add(series(m.method(), color, m.byLength(), "", false));
            if (m.auto().merged().present()) {
                double x = geometricMeanStep(m.auto());
                chart.spot(new SvgChart.Spot(x, m.auto().merged().mean(), color, m.method() + " at the automatic stop: "
                        + Fmt.pct(m.auto().merged()) + "%", "data-method=\"" + Html.esc(m.method()) + "\""));
            }
            m.rules().forEach((rule, p) -> {
                if (p.merged().present()) {
                    chart.spot(new SvgChart.Spot(geometricMeanStep(p), p.merged().mean(), color, m.method() + " at the " + rule
                            + " rule's stops: " + Fmt.pct(p.merged()) + "%", "data-method=\"" + Html.esc(m.method()) + "\" data-rule=\""
                            + Html.esc(rule) + "\"", true));
                }
            });
        }
        if (mode.baseHeads() != null) {
            chart.add(series("base + heads (λ = 0)", "#aaa", mode.baseHeads().byLength(), "4 3", false));
        }
        MethodResult first = Headline.method(mode);
        if (first != null) {
            chart.add(series("expert alone", "#444", first.byLength(), "6 4", true));
        }
        if (mode.linearProbe().merged().present() && !lengths.isEmpty()) {
            double y = mode.linearProbe().merged().mean();
            chart.add(new SvgChart.Series("linear probe", "#999", new double[] {lengths.get(0), lengths.get(lengths.size() - 1)},
                    new double[] {y, y}, "2 3"));
        }
        for (String task : mode.tasks()) {
            chart.key("stop: " + task, taskColor(mode, task), "3 3");
        }
        for (TaskStop s : observeStops(mode)) {
            long step = s.checkpointStep() != null ? s.checkpointStep() : s.decidedAtStep();
            chart.mark(new SvgChart.Marker(step, taskColor(mode, s.task()), s.task() + " seed " + s.seed() + ": merged checkpoint "
                    + step + " (decided at step " + s.decidedAtStep() + "): " + s.reason(),
                    String.format(Locale.ROOT, "data-task=\"%s\" data-seed=\"%d\" data-step=\"%d\"", Html.esc(s.task()), s.seed(), step)));
        }
        return chart.render();
    }

    /** How the experts' heads were trained, in words. */
    static String headsText(ModeResult mode) {
        return switch (mode.heads()) {
            case "probe" -> "each expert started from its task's linear probe on the base, frozen (only the trunk or adapters trained)";
            case "new" -> "each expert trained a new head, seeded from (seed, task)";
            default -> "not recorded";
        };
    }

    static List<TaskStop> observeStops(ModeResult mode) {
        return mode.stops().stream().filter(s -> s.pass().equals(StudyTags.OBSERVE)).toList();
    }

    static String taskColor(ModeResult mode, String task) {
        int i = Math.max(0, mode.tasks().indexOf(task));
        return TASK_COLORS.get(i % TASK_COLORS.size());
    }

    private static SvgChart.Series series(String name, String color, Map<Long, PointResult> byLength, String dash, boolean expert) {
        List<double[]> points = new ArrayList<>();
        byLength.forEach((length, p) -> {
            Stat s = expert ? p.expert() : p.merged();
            if (s.present()) {
                points.add(new double[] {length, s.mean()});
            }
        });
        return new SvgChart.Series(name, color, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray(), dash);
    }

    private static double geometricMeanStep(PointResult auto) {
        double logs = 0;
        int n = 0;
        for (Stat s : auto.stepByTask().values()) {
            for (double v : s.values()) {
                logs += Math.log(Math.max(1, v));
                n++;
            }
        }
        return n == 0 ? 1 : Math.exp(logs / n);
    }
}
