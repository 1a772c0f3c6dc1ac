package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless browser (Debian's Chromium) against a live monitor: the page's
 * own scripts fetch the JSON API and draw the run, its curves and its stop decision. Saves
 * {@code target/dashboard.png}.
 */
@ExtendWith(LocalStackExtension.class)
class DashboardBrowserIT {
    @Test
    void shouldShowTheRunItsFullCurvesAndTheDecisionMarkerWhenARunIsDecided(StackEndpoints stack, @TempDir Path stateDir,
                                                                              @TempDir Path profile) throws Exception {
        HeadlessChromium.require();
        String run = "browser-" + UUID.randomUUID();
        try (LiveMonitor live = new LiveMonitor(stack, stateDir, "monitor-" + run)) {
            // given a decided run of 40 steps on a live monitor
            live.train(run, 40);
            await().atMost(Duration.ofSeconds(60)).until(() -> live.get("api/runs/" + run).body().contains("\"lastStep\":40"));

            // when the dashboard is loaded in headless Chromium
            String page = live.url + "#run=" + run;
            Document dom = Jsoup.parse(HeadlessChromium.dumpDom(page, 5_000, profile.resolve("dom")));

            // then the run is listed as decided
            Element row = dom.selectFirst("tr.run[data-run-id=" + run + "]");
            assertThat(row).isNotNull();
            assertThat(row.attr("data-state")).isEqualTo("decided");
            assertThat(dom.selectFirst("#detail-title").attr("data-run-id")).isEqualTo(run);
            // and every chart draws all 40 steps of the policy signal / the training loss, with the stop marked at step 10
            assertThat(dom.select("path.series[data-series=trainLoss]").attr("data-points")).isEqualTo("40");
            assertThat(dom.select("path.series[data-series=examplesSeen]").attr("data-points")).isEqualTo("40");
            assertThat(dom.select("svg .decision-marker")).isNotEmpty()
                    .allSatisfy(marker -> assertThat(marker.attr("data-step")).isEqualTo("10"));
            assertThat(dom.select("svg .decision-marker").size()).isEqualTo(dom.select("svg.chart").size());
            // and the evidence: the reason naming the checkpoint of step 8, and the policy
            assertThat(dom.selectFirst("#evidence dd[data-field=reason]").text()).contains("merge the checkpoint of step 8");
            assertThat(dom.selectFirst("#evidence dd[data-field=checkpoint]").text()).contains("step 8");
            assertThat(dom.selectFirst("#evidence").attr("data-decision-id")).startsWith(run + ":");

            Path png = Path.of("target", "dashboard.png");
            Files.deleteIfExists(png);
            HeadlessChromium.screenshot(page, 5_000, profile.resolve("shot"), png);
            assertThat(png).isNotEmptyFile();
        }
    }

    @Test
    void shouldFilterRunsByLabelCompareTwoOnSharedCurvesShowValuesAtAStepAndDrawTheEvidence(StackEndpoints stack,
            @TempDir Path stateDir, @TempDir Path profile) throws Exception {
        HeadlessChromium.require();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String a = "cmp-a-" + tag, b = "cmp-b-" + tag, other = "cmp-c-" + tag;
        try (LiveMonitor live = new LiveMonitor(stack, stateDir, "monitor-cmp-" + tag)) {
            // given two decided runs of one study (label study.id) with different losses, and a run of another study
            live.train(a, 40, Set.of(), Map.of("study.id", "s-" + tag, "study.seed", "1"), 0f);
            live.train(b, 40, Set.of(), Map.of("study.id", "s-" + tag, "study.seed", "2"), 0.02f);
            live.train(other, 40, Set.of(), Map.of("study.id", "other-" + tag), 0f);
            for (String run : List.of(a, b, other)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> live.get("api/runs/" + run).body().contains("\"lastStep\":40"));
            }
            JsonNode runA = new ObjectMapper().readTree(live.get("api/runs/" + a).body());
            JsonNode curveA = runA.get("curve");
            int at20 = indexOf(curveA.get("steps"), 20);

            // when the dashboard is loaded filtered by the study's label, comparing the two, hovering step 20
            String page = live.url + "#run=" + a + "&compare=" + a + "," + b + "&filter=study.id%3Ds-" + tag + "&hover=20";
            Document dom = Jsoup.parse(HeadlessChromium.dumpDom(page, 6_000, profile.resolve("dom")));

            // then only the study's runs are listed, each with its labels, and both are ticked for comparison
            assertThat(dom.select("tr.run").eachAttr("data-run-id")).containsExactlyInAnyOrder(a, b);
            assertThat(dom.select("tr.run[data-run-id=" + a + "] span.label").eachAttr("data-label"))
                    .containsExactlyInAnyOrder("study.id=s-" + tag, "study.seed=1");
            assertThat(dom.select("input.compare[checked]").eachAttr("data-run-id")).containsExactlyInAnyOrder(a, b);
            // and the comparison overlays both runs' 40 steps on each chart, with each run's stop marked
            Element compare = dom.selectFirst("#compare");
            assertThat(compare.hasAttr("hidden")).isFalse();
            assertThat(compare.select("#compare-legend .legend").eachAttr("data-run-id")).containsExactly(a, b);
            Element loss = compare.selectFirst("figure[data-chart=training loss]");
            assertThat(loss.select("path.series").eachAttr("data-series")).containsExactly(a, b);
            assertThat(loss.select("path.series").eachAttr("data-points")).containsExactly("40", "40");
            assertThat(loss.select(".decision-marker")).hasSize(2);
            assertThat(compare.select("figure[data-chart=examplesSeen] path.series")).hasSize(2);
            // and hovering step 20 shows each run's value there: run a's is its curve's value at step 20, b's is higher
            Element hover = loss.selectFirst("g.hover");
            assertThat(hover.attr("data-step")).isEqualTo("20");
            double valueA = Double.parseDouble(hover.selectFirst("text[data-series=" + a + "]").attr("data-value"));
            double valueB = Double.parseDouble(hover.selectFirst("text[data-series=" + b + "]").attr("data-value"));
            assertThat(valueA).isCloseTo(curveA.get("trainLoss").get(at20).asDouble(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(valueB).isGreaterThan(valueA);
            // and the decision's evidence is drawn: one small chart per signal window, every point of it
            JsonNode signals = runA.get("decision").get("signals");
            assertThat(signals.size()).isPositive();
            assertThat(dom.select("#evidence figure[data-evidence]")).hasSize(signals.size());
            for (JsonNode signal : signals) {
                Element fig = dom.selectFirst("#evidence figure[data-evidence=" + signal.get("name").asText() + "]");
                assertThat(fig.selectFirst("path.series").attr("data-points")).isEqualTo(Integer.toString(signal.get("steps").size()));
            }

            Path png = Path.of("target", "dashboard-compare.png");
            Files.deleteIfExists(png);
            HeadlessChromium.screenshot(page, 6_000, profile.resolve("shot"), png);
            assertThat(png).isNotEmptyFile();
        }
    }

    @Test
    void shouldShowTheRunsOfAMonitorWithATokenOnlyToAPageOpenedWithIt(StackEndpoints stack, @TempDir Path stateDir,
                                                                     @TempDir Path profile) throws Exception {
        HeadlessChromium.require();
        String run = "token-" + UUID.randomUUID();
        String token = "tok-" + UUID.randomUUID();
        try (LiveMonitor live = new LiveMonitor(stack, stateDir, "monitor-" + run, Map.of(MonitorConfigKeys.HTTP_TOKEN, token))) {
            // given a run on a monitor whose API needs a token
            live.train(run, 12);
            await().atMost(Duration.ofSeconds(60)).until(() -> live.get("api/runs/" + run, token).body().contains("\"lastStep\":12"));
            assertThat(live.get("api/runs").statusCode()).isEqualTo(401);

            // when the page is opened with the token in its address, and without it
            Document with = Jsoup.parse(HeadlessChromium.dumpDom(live.url + "#token=" + token, 4_000, profile.resolve("with")));
            Document without = Jsoup.parse(HeadlessChromium.dumpDom(live.url, 4_000, profile.resolve("without")));

            // then the first lists the run, the second says what it needs; the token leaves no trace in the page
            assertThat(with.select("tr.run").eachAttr("data-run-id")).contains(run);
            assertThat(with.html()).doesNotContain(token);
            assertThat(without.select("tr.run")).isEmpty();
            assertThat(without.selectFirst("#status").text()).contains("needs its token");
        }
    }

    private static int indexOf(JsonNode steps, long step) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).asLong() == step) {
                return i;
            }
        }
        throw new AssertionError("step " + step + " not on the curve " + steps);
    }
}
