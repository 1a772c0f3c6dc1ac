package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
}
