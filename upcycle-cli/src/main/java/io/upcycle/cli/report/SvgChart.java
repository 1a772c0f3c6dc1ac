package io.upcycle.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG, written by hand: a log2 (or linear) x-axis of training steps, one
 * polyline per series with a dot per point, vertical markers (e.g. a task's stop step) and single
 * highlighted points. Markers carry {@code data-*} attributes so that tests and readers can find them.
 */
final class SvgChart {
    static final int WIDTH = 700;
    static final int HEIGHT = 300;
    private static final int LEFT = 56;
    private static final int RIGHT = 170;
    private static final int TOP = 16;
    private static final int BOTTOM = 40;

    /** A line: {@code xs} and {@code ys} parallel; {@code dash} empty for a solid line. */
    record Series(String name, String color, double[] xs, double[] ys, String dash) {
    }

    /** A vertical line at {@code x}, with a hover title and data attributes (already formatted {@code data-k="v"}). */
    record Marker(double x, String color, String title, String data) {
    }

    /** One highlighted point: a diamond, or a triangle ({@code triangle}) for a second kind of point. */
    record Spot(double x, double y, String color, String title, String data, boolean triangle) {
        Spot(double x, double y, String color, String title, String data) {
            this(x, y, color, title, data, false);
        }
    }

    private final String caption;
    private final String yLabel;
    private final boolean percent;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final List<Spot> spots = new ArrayList<>();
    private final List<String[]> keys = new ArrayList<>();
    private double fixedXMin = Double.NaN;
    private double fixedXMax = Double.NaN;
    private double fixedYMin = Double.NaN;
    private double fixedYMax = Double.NaN;

    SvgChart(String caption, String yLabel, boolean percent) {
        this.caption = caption;
        this.yLabel = yLabel;
        this.percent = percent;
    }

    SvgChart add(Series s) {
        if (s.xs().length > 0) {
            series.add(s);
        }
        return this;
    }

    SvgChart mark(Marker m) {
        markers.add(m);
        return this;
    }

    SvgChart spot(Spot s) {
        spots.add(s);
        return this;
    }

    /** Fixes the x range (steps) instead of fitting it to the data. */
    SvgChart xRange(double min, double max) {
        fixedXMin = min;
        fixedXMax = max;
        return this;
    }

    /** Fixes the lower (and, unless NaN, upper) end of the y range. */
    SvgChart yRange(double min, double max) {
        fixedYMin = min;
        fixedYMax = max;
        return this;
    }

    /** A legend entry that is not a series, e.g. the colour of a task's stop markers. */
    SvgChart key(String name, String color, String dash) {
        keys.add(new String[] {name, color, dash});
        return this;
    }

    String render() {
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                xMin = Math.min(xMin, s.xs()[i]);
                xMax = Math.max(xMax, s.xs()[i]);
                yMin = Math.min(yMin, s.ys()[i]);
                yMax = Math.max(yMax, s.ys()[i]);
            }
        }
        for (Marker m : markers) {
            xMin = Math.min(xMin, m.x());
            xMax = Math.max(xMax, m.x());
        }
        for (Spot s : spots) {
            yMin = Math.min(yMin, s.y());
            yMax = Math.max(yMax, s.y());
        }
        if (xMin == Double.MAX_VALUE) {
            return "<p class=\"empty\">" + Html.esc(caption) + ": no data.</p>\n";
        }
        if (!Double.isNaN(fixedXMin)) {
            xMin = fixedXMin;
            xMax = fixedXMax;
        }
        xMin = Math.max(1, xMin);
        Axis x = new Axis(log2(xMin), log2(Math.max(xMax, xMin * 2)), LEFT, WIDTH - RIGHT);
        double pad = Math.max((yMax - yMin) * 0.08, 1e-3);
        double bottom = Double.isNaN(fixedYMin) ? yMin - pad : Math.min(fixedYMin, yMin);
        double top = Double.isNaN(fixedYMax) ? yMax + pad : Math.max(fixedYMax, yMax);
        Axis y = new Axis(bottom, top, HEIGHT - BOTTOM, TOP);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<figure><svg viewBox=\"0 0 %d %d\" width=\"%d\" "
                + "height=\"%d\" role=\"img\" aria-label=\"%s\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT, Html.esc(caption)));
        axes(out, x, y, xMin, xMax);
        for (Marker m : markers) {
            double px = x.at(log2(Math.max(1, m.x())));
            out.append(String.format(Locale.ROOT, "<line class=\"marker\" %s x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-dasharray=\"3 3\"><title>%s</title></line>\n", m.data(), px, TOP, px, HEIGHT - BOTTOM, m.color(),
                    Html.esc(m.title())));
        }
        int legend = 0;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.xs().length; i++) {
                points.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", x.at(log2(s.xs()[i])), y.at(s.ys()[i])));
            }
            out.append(String.format(Locale.ROOT, "<polyline class=\"series\" data-series=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"%s/>\n", Html.esc(s.name()), points, s.color(),
                    s.dash().isEmpty() ? "" : " stroke-dasharray=\"" + s.dash() + "\""));
            if (s.xs().length <= 40) {
                for (int i = 0; i < s.xs().length; i++) {
                    out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s, step %.0f: %s</title>"
                            + "</circle>\n", x.at(log2(s.xs()[i])), y.at(s.ys()[i]), s.color(), Html.esc(s.name()), s.xs()[i], value(s.ys()[i])));
                }
            }
            legend(out, legend++, s.name(), s.color(), s.dash());
        }
        for (String[] k : keys) {
            legend(out, legend++, k[0], k[1], k[2]);
        }
        for (Spot s : spots) {
            double px = x.at(log2(Math.max(1, s.x())));
            double py = y.at(s.y());
            String points = s.triangle()
                    ? String.format(Locale.ROOT, "%.1f,%.1f %.1f,%.1f %.1f,%.1f", px, py - 6, px + 6, py + 5, px - 6, py + 5)
                    : String.format(Locale.ROOT, "%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f", px, py - 6, px + 6, py, px, py + 6, px - 6, py);
            out.append(String.format(Locale.ROOT, "<polygon class=\"spot\" %s points=\"%s\" fill=\"%s\" "
                    + "stroke=\"#000\" stroke-width=\"0.6\"><title>%s</title></polygon>\n", s.data(), points, s.color(),
                    Html.esc(s.title())));
        }
        out.append("</svg><figcaption>").append(Html.esc(caption)).append("</figcaption></figure>\n");
        return out.toString();
    }

    private void axes(StringBuilder out, Axis x, Axis y, double xMin, double xMax) {
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#bbb\"/>\n",
                LEFT, TOP, WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP));
        for (long p = 1; p <= xMax * 1.0001; p *= 2) {
            if (p < xMin / 1.0001) {
                continue;
            }
            double px = x.at(log2((double) p));
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%d</text>\n", px, TOP, px, HEIGHT - BOTTOM, px,
                    HEIGHT - BOTTOM + 14, p));
        }
        for (int i = 0; i <= 4; i++) {
            double v = y.from + (y.to - y.from) * i / 4;
            double py = y.at(v);
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n", LEFT, py, WIDTH - RIGHT, py, LEFT - 4,
                    py + 4, value(v)));
        }
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"middle\">training steps (log2 scale)</text>\n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 6));
        out.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" class=\"label\" transform=\"rotate(-90 12 %d)\" "
                + "text-anchor=\"middle\">%s</text>\n", (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2, Html.esc(yLabel)));
    }

    private void legend(StringBuilder out, int i, String name, String color, String dash) {
        int ly = TOP + 10 + 16 * i;
        int lx = WIDTH - RIGHT + 10;
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                + "<text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>\n", lx, ly, lx + 18, ly, color,
                dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"", lx + 22, ly + 4, Html.esc(name)));
    }

    private String value(double v) {
        return percent ? Fmt.pct(v) + "%" : Fmt.num(v, Math.abs(v) >= 10 ? 1 : 3);
    }

    static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** Maps a data range onto a pixel range. */
    private record Axis(double from, double to, double pixelFrom, double pixelTo) {
        double at(double v) {
            double span = to - from == 0 ? 1 : to - from;
            return pixelFrom + (v - from) / span * (pixelTo - pixelFrom);
        }
    }
}
