package io.upcycle.cli.report;

import io.upcycle.monitor.audit.AuditLogException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Builds a study's report from its exported event log and nothing else, so that {@code upcycle report}
 * rebuilds the same report from a replayed log: {@value #HTML_FILE} (one self-contained page) and
 * {@value #JSON_FILE} in the output folder, and a compact summary on the console.
 */
public final class StudyReport {
    /** The name the study gives its exported event log in the output folder. */
    public static final String LOG_FILE = "events.upcycle-log";
    public static final String HTML_FILE = "report.html";
    public static final String JSON_FILE = "summary.json";

    /** The report's files: the page and the summary written, and the log they were built from. */
    public record Files(Path html, Path summary, Path log) {
    }

    private StudyReport() {
    }

    /**
     * Reads {@code log}, writes {@code outDir}/report.html and {@code outDir}/summary.json, and prints
     * the console summary to {@code console}.
     *
     * @throws IllegalArgumentException when the log is missing, damaged, or holds no study results (the message says which)
     */
    public static Files write(Path log, Path outDir, PrintStream console) throws IOException {
        StudyResults results = read(log);
        java.nio.file.Files.createDirectories(outDir);
        Path html = outDir.resolve(HTML_FILE);
        Path json = outDir.resolve(JSON_FILE);
        java.nio.file.Files.writeString(html, HtmlReport.render(results, log.getFileName().toString()), StandardCharsets.UTF_8);
        SummaryJson.write(results, log.getFileName().toString(), json);
        console.print(ConsoleSummary.format(results));
        console.printf("report: %s%nsummary: %s%n", html, json);
        console.flush();
        return new Files(html, json, log);
    }

    /** The results of the study in {@code log}. */
    public static StudyResults read(Path log) {
        if (!java.nio.file.Files.isRegularFile(log)) {
            throw new IllegalArgumentException("no event log at " + log);
        }
        StudyEvents events;
        try {
            events = StudyEvents.read(log);
        } catch (AuditLogException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return StudyResults.from(events);
    }
}
