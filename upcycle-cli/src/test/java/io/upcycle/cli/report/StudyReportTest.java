package io.upcycle.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.monitor.audit.Audit;
import io.upcycle.monitor.audit.AuditReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportTest {
    @TempDir
    Path dir;

    @Test
    void shouldRebuildTheSameResultsFromALogFileAsFromTheEventsInMemory() throws Exception {
        // given the fixture written as a log file, merge results included
        Path log = dir.resolve(StudyReport.LOG_FILE);
        StudyFixture.write(StudyFixture.events(), log);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        // when
        StudyReport.Files files = StudyReport.write(log, dir.resolve("out"), new PrintStream(console, true, StandardCharsets.UTF_8));

        // then the same numbers as from memory, and both files are there
        String fromFile = Files.readString(files.summary());
        String fromMemory = SummaryJson.tree(StudyResults.from(StudyFixture.events()), StudyReport.LOG_FILE).toPrettyString();
        assertThat(fromFile.replace("\r\n", "\n")).isEqualToIgnoringWhitespace(fromMemory);
        assertThat(Files.readString(files.html())).contains("automatic stop beats the full budget by 5.0 points");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("ties             84.0 ± 1.4    79.0 ± 1.4    87.0 ± 1.4 @64       +5.0")
                .contains("stop steps (per seed): grain 128/128, spam 64/32")
                .contains("enforce pass: 366 of 512 budget steps trained, 28.5% saved");
    }

    @Test
    void shouldLeaveTheAuditWorkingWhenTheLogHoldsMergeResults() throws Exception {
        // given a log with runs, decisions and merge results (no losses, so no decision can be made again)
        Path log = dir.resolve("study.log");
        StudyFixture.write(StudyFixture.events(), log);

        // when
        AuditReport report = Audit.fromFile(log, Map.of(), Set.of());

        // then every run is audited and the merge results are not replayed as monitor input
        assertThat(report.runs()).hasSize(12);
        assertThat(report.deadLetters()).isZero();
    }

    @Test
    void shouldRefuseAMissingOrDamagedLogWithAClearMessage() throws Exception {
        // given
        Path log = dir.resolve("cut.log");
        StudyFixture.write(StudyFixture.events(), log);
        byte[] all = Files.readAllBytes(log);
        Files.write(log, Arrays.copyOf(all, all.length / 2));
        PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> StudyReport.write(dir.resolve("missing.log"), dir, console))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no event log at");
        assertThatThrownBy(() -> StudyReport.write(log, dir, console)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldTraceTheSignalsOfTheLowestSeedsObserveRunFromItsLoggedLosses() throws Exception {
        // given: losses of two runs of one task, seeds 1 and 2; examples learned one by one
        StudyEvents events = StudyFixture.events();
        String seed1 = StudyFixture.runId("FULL", "spam", 1, "observe");
        String seed2 = StudyFixture.runId("FULL", "spam", 2, "observe");
        int examples = events.started().stream().filter(r -> r.getRunId().equals(seed1)).findFirst().orElseThrow().getExampleCount();
        List<io.upcycle.schemas.avro.ExampleLosses> losses = new java.util.ArrayList<>();
        for (String run : List.of(seed1, seed2)) {
            for (int step = 1; step <= examples; step++) {
                List<Integer> ids = new java.util.ArrayList<>();
                List<Float> values = new java.util.ArrayList<>();
                for (int id = 0; id < examples; id++) {
                    ids.add(id);
                    values.add(id < step ? 0.01f : 1f);
                }
                losses.add(io.upcycle.schemas.avro.ExampleLosses.newBuilder().setRunId(run).setStep(step).setExampleIds(ids)
                        .setLosses(values).setCorrect(java.util.Collections.nCopies(examples, true))
                        .setEl2n(java.util.Collections.nCopies(examples, 0.5f)).build());
            }
        }
        Path log = dir.resolve("traced.log");
        StudyFixture.write(events, losses, log);

        // when
        StudyEvents read = StudyEvents.read(log);

        // then: the learned fraction at every step, as the monitor computes it, for the seed-1 run only
        assertThat(read.traces()).containsKey(seed1).doesNotContainKey(seed2);
        assertThat(read.traces().get(seed1).get(io.upcycle.monitor.state.SignalNames.LEARNED_FRACTION))
                .hasSize(examples).containsEntry(1L, 1.0 / examples).containsEntry((long) examples, 1.0);
    }
}
