package io.upcycle.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameNumbersAsTheResultsWhenParsedBack() throws Exception {
        // given
        StudyResults results = StudyResults.from(StudyFixture.events());
        Path file = dir.resolve("summary.json");

        // when
        SummaryJson.write(results, "events.upcycle-log", file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());

        // then
        JsonNode ties = root.at("/modes/FULL/methods/ties");
        assertThat(root.get("study").asText()).isEqualTo("study-t");
        assertThat(ties.at("/auto/merged/mean").asDouble()).isCloseTo(0.84, within(1e-9));
        assertThat(ties.at("/auto/merged/sd").asDouble()).isCloseTo(Math.sqrt(2e-4), within(1e-9));
        assertThat(ties.at("/auto/merged/n").asInt()).isEqualTo(2);
        assertThat(ties.at("/auto/merged/values/0").asDouble()).isCloseTo(0.85, within(1e-9));
        assertThat(ties.at("/auto/normalized/mean").asDouble()).isCloseTo(0.94, within(1e-9));
        assertThat(ties.at("/fullBudget/length").asLong()).isEqualTo(128);
        assertThat(ties.at("/fullBudget/merged/mean").asDouble()).isCloseTo(0.79, within(1e-9));
        assertThat(ties.at("/autoMinusFull").asDouble()).isCloseTo(0.05, within(1e-9));
        assertThat(ties.at("/bestFixedLength/length").asLong()).isEqualTo(64);
        assertThat(ties.at("/bestFixedLength/chosenOn").asText()).isEqualTo("test");
        assertThat(ties.at("/lengths/32/merged/mean").asDouble()).isCloseTo(0.71, within(1e-9));
        assertThat(ties.at("/auto/perTask/spam/expert/mean").asDouble()).isCloseTo(0.96, within(1e-9));
        assertThat(ties.at("/auto/perTask/spam/expertStep/values").toString()).isEqualTo("[64.0,32.0]");
        assertThat(ties.at("/auto/perTask/spam/easyHard/mergedHard/mean").asDouble()).isCloseTo(0.60, within(1e-9));
        assertThat(root.at("/modes/FULL/linearProbe/merged/mean").asDouble()).isCloseTo(0.55, within(1e-9));
        assertThat(root.at("/modes/FULL/compute/stepsTrained").asLong()).isEqualTo(366);
        assertThat(root.at("/modes/FULL/compute/stepsSaved").asLong()).isEqualTo(146);
        assertThat(root.at("/modes/FULL/compute/savedPercent").asDouble()).isCloseTo(28.515625, within(1e-9));
        assertThat(root.at("/modes/LORA/compute").isNull()).isTrue();
        assertThat(root.at("/modes/FULL/stops/2/runId").asText()).isEqualTo("full-spam-s1-observe");
        assertThat(root.at("/modes/FULL/stops/2/checkpointStep").asLong()).isEqualTo(64);
        assertThat(root.at("/modes/FULL/stops/2/reason").asText()).isEqualTo("learned fraction 0.980 >= 0.97 at step 70");
        assertThat(root.at("/provenance/merges/0/experts/0/sha256").asText()).isEqualTo(StudyFixture.sha("full-spam-s1-observe@64"));
        assertThat(root.at("/provenance/runs").size()).isEqualTo(12);
        assertThat(root.at("/headline/0").asText()).startsWith("FULL mode, ties: automatic stop beats the full budget by 5.0 points");
    }
}
