package io.upcycle.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private final String html = HtmlReport.render(StudyResults.from(StudyFixture.events()), "events.upcycle-log");

    @Test
    void shouldMarkEachTasksStopStepPerSeedOnTheAccuracyChart() {
        // then the FULL chart marks spam at 64 (seed 1) and 32 (seed 2), grain at 128, with one polyline per method
        String full = section("FULL");
        assertThat(full).contains("data-task=\"spam\" data-seed=\"1\" data-step=\"64\"")
                .contains("data-task=\"spam\" data-seed=\"2\" data-step=\"32\"")
                .contains("data-task=\"grain\" data-seed=\"1\" data-step=\"128\"")
                .contains("<polyline class=\"series\" data-series=\"ties\"")
                .contains("<polyline class=\"series\" data-series=\"task_arithmetic\"")
                .contains("<polyline class=\"series\" data-series=\"expert alone\"")
                .contains("<polyline class=\"series\" data-series=\"linear probe\"")
                .contains("class=\"spot\" data-method=\"ties\"");
        assertThat(section("LORA")).contains("data-series=\"moe_router\"");
    }

    @Test
    void shouldPlotOnePointPerFixedLengthOnALog2Axis() {
        // given the ties polyline of FULL: lengths 32, 64, 128 are equally spaced on a log2 axis
        Matcher m = Pattern.compile("data-series=\"ties\" points=\"([^\"]+)\"").matcher(section("FULL"));
        assertThat(m.find()).isTrue();
        String[] points = m.group(1).split(" ");

        // then three points, x steps equal, and 64 (.87) the highest (smallest y)
        assertThat(points).hasSize(3);
        double[] xs = new double[3];
        double[] ys = new double[3];
        for (int i = 0; i < 3; i++) {
            xs[i] = Double.parseDouble(points[i].split(",")[0]);
            ys[i] = Double.parseDouble(points[i].split(",")[1]);
        }
        assertThat(xs[1] - xs[0]).isCloseTo(xs[2] - xs[1], org.assertj.core.api.Assertions.within(0.2));
        assertThat(ys[1]).isLessThan(ys[0]).isLessThan(ys[2]);
    }

    @Test
    void shouldShowTheNumbersStopsSignalsComputeAndProvenance() {
        // then
        assertThat(html).contains("FULL mode, ties: automatic stop beats the full budget by 5.0 points")
                .contains("<td>ties</td><td class=\"n\">84.0 ± 1.4</td><td class=\"n\">79.0 ± 1.4</td><td class=\"n\">87.0 ± 1.4 @ 64</td>"
                        + "<td class=\"n\">+5.0</td>")
                .contains("learned fraction 0.980 &gt;= 0.97 at step 70")
                .contains("data-task=\"spam\" data-stop=\"70\"")
                .contains("data-series=\"learned fraction\"").contains("data-series=\"train loss\"")
                .contains("4 run(s) trained <b>366</b> steps against a budget of <b>512</b>: <b>28.5%</b>")
                .contains("No enforce pass was run in this mode.")
                .contains(StudyFixture.sha("full-spam-s1-observe@64"))
                .contains("linear probe (frozen base)");
    }

    @Test
    void shouldBeSelfContainedWithoutScriptsOrExternalReferences() {
        // then nothing is fetched: no URL, no script, no external stylesheet or image
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").endsWith("</html>\n");
        assertThat(html).doesNotContain("http").doesNotContain("<script").doesNotContain("src=").doesNotContain("<link")
                .doesNotContain("url(");
    }

    private String section(String mode) {
        int start = html.indexOf("<h2 id=\"mode-" + mode + "\"");
        int end = html.indexOf("<h2", start + 1);
        return html.substring(start, end);
    }
}
