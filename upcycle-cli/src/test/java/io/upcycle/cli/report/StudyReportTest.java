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
}
