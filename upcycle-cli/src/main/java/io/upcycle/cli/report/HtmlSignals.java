package io.upcycle.cli.report;

import io.upcycle.cli.report.StudyResults.ModeResult;
import io.upcycle.cli.report.StudyResults.TaskSignals;
import io.upcycle.cli.report.StudyResults.TaskStop;
import io.upcycle.monitor.state.SignalNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The signals over time per task, with the stop marked: learned fraction and hard-set share (from the
 * evidence windows the run's decisions carry) in one chart, train and eval loss (from its step
 * metrics) in another. Long series are thinned to at most {@value #BUCKETS_PER_OCTAVE} points per
 * octave (the mean of each bucket) to keep the page small.
 */
final class HtmlSignals {
    static final int BUCKETS_PER_OCTAVE = 16;

    private HtmlSignals() {
    }

    static void signals(StringBuilder out, ModeResult mode) {
        out.append("<h3>Signals over time (observe pass, lowest seed)</h3>\n<p class=\"muted\">Learned fraction and hard-set "
                + "share at every step, recomputed from the logged per-example losses by the monitor's own signal code (where the "
                + "log lacks them: the evidence window each decision carries); losses come from every step's metrics. The vertical "
                + "line is the step the monitor decided to stop at.</p>\n");
        for (TaskSignals t : mode.signals()) {
            out.append("<h4>").append(Html.esc(t.task())).append(" <span class=\"muted\">seed ").append(t.seed()).append(", run ")
                    .append(Html.esc(t.runId())).append("</span></h4>\n<div class=\"pair\">\n");
            long budget = Math.max(2, mode.fullBudget());
            SvgChart fractions = new SvgChart(t.task() + ": learned fraction and hard-set share", "fraction", false)
                    .xRange(1, (double) budget).yRange(0, 1)
                    .add(series("learned fraction", "#2ca02c", t.series().get(SignalNames.LEARNED_FRACTION)))
                    .add(series("hard-set share", "#d62728", t.series().get(SignalNames.HARD_SHARE)));
            SvgChart losses = new SvgChart(t.task() + ": train loss and eval loss", "loss", false)
                    .xRange(1, (double) budget).yRange(0, Double.NaN)
                    .add(series("train loss", "#1f77b4", t.series().get(RunFacts.TRAIN_LOSS)))
                    .add(series("eval loss", "#ff7f0e", t.series().get(RunFacts.EVAL_LOSS)));
            if (t.stop() != null) {
                mark(fractions, t.stop());
                mark(losses, t.stop());
            }
            out.append(fractions.render()).append(losses.render()).append("</div>\n");
        }
    }

    private static void mark(SvgChart chart, TaskStop stop) {
        chart.mark(new SvgChart.Marker(stop.decidedAtStep(), "#000", "stop decided at step " + stop.decidedAtStep() + ": " + stop.reason(),
                String.format(Locale.ROOT, "data-task=\"%s\" data-stop=\"%d\"", Html.esc(stop.task()), stop.decidedAtStep())));
    }

    /** The series on a log2 step axis, thinned: the mean of the points in each 1/{@value #BUCKETS_PER_OCTAVE}-octave bucket. */
    static SvgChart.Series series(String name, String color, NavigableMap<Long, Double> values) {
        List<double[]> points = new ArrayList<>();
        long bucket = Long.MIN_VALUE;
        double sumX = 0;
        double sumY = 0;
        int n = 0;
        for (Map.Entry<Long, Double> e : values == null ? List.<Map.Entry<Long, Double>>of() : values.entrySet()) {
            if (e.getKey() < 1 || e.getValue() == null || !Double.isFinite(e.getValue())) {
                continue;
            }
            long b = (long) Math.floor(SvgChart.log2(e.getKey()) * BUCKETS_PER_OCTAVE);
            if (b != bucket && n > 0) {
                points.add(new double[] {sumX / n, sumY / n});
                sumX = 0;
                sumY = 0;
                n = 0;
            }
            bucket = b;
            sumX += e.getKey();
            sumY += e.getValue();
            n++;
        }
        if (n > 0) {
            points.add(new double[] {sumX / n, sumY / n});
        }
        return new SvgChart.Series(name, color, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray(), "");
    }
}
