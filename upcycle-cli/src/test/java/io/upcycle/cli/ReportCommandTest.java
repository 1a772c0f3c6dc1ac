package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.cli.report.StudyEvents;
import io.upcycle.cli.report.StudyFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import io.upcycle.config.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ReportCommand command = new ReportCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void shouldWriteTheReportAndSummaryBesideTheLogWhenNoOutIsGiven() throws Exception {
        // given a study's event log written with the log writer
        Path log = dir.resolve("events.upcycle-log");
        StudyFixture.write(StudyFixture.events(), log);

        // when
        int code = CommandLines.call(new CommandLine(command), "--from-file", log.toString());

        // then
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(dir.resolve("report.html")).exists();
        assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"study\" : \"study-t\"");
        assertThat(text).contains("Study study-t").contains("FULL (full budget 128 steps, 2 seed(s))")
                .contains("FULL mode, ties: automatic stop beats the full budget by 5.0 points");
    }

    @Test
    void shouldWriteIntoTheOutFolderWhenGiven() throws Exception {
        // given
        Path log = dir.resolve("events.upcycle-log");
        StudyFixture.write(StudyFixture.events(), log);

        // when
        CommandLines.call(new CommandLine(command), "--from-file", log.toString(), "--out", dir.resolve("r").toString());

        // then
        assertThat(dir.resolve("r/report.html")).exists();
        assertThat(dir.resolve("r/summary.json")).exists();
    }

    @Test
    void shouldRefuseALogWithoutStudyEvents() throws Exception {
        // given runs only
        StudyEvents events = StudyFixture.events();
        events.merges().clear();
        Path log = dir.resolve("runs-only.log");
        StudyFixture.write(events, log);

        // when / then
        assertThatThrownBy(() -> CommandLines.call(new CommandLine(command), "--from-file", log.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no study results");
    }

    @Test
    void shouldRequireTheLogAndExplainItselfInHelp() {
        assertThatThrownBy(() -> CommandLines.call(new CommandLine(command)))
                .isInstanceOf(CommandLine.MissingParameterException.class).hasMessageContaining("'--from-file=LOG'");
        assertThatThrownBy(() -> CommandLines.call(new CommandLine(command), "--from-file", dir.resolve("nope").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no event log at");
        assertThat(new CommandLine(command).getUsageMessage()).contains("--from-file=LOG [--out=DIR]").contains("report.html")
                .contains("summary.json");
    }
}
