package io.upcycle.cli;

import io.upcycle.cli.report.StudyReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upcycle report --from-file LOG [--out DIR]}: rebuilds a study's report from its exported event
 * log alone: DIR/report.html (self-contained) and DIR/summary.json, and prints the headline numbers.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a study's HTML report and summary.json from its exported event log.",
            "",
            "Reads a study's event log (written by upcycle demo, or by upcycle export after a study) and writes DIR/"
                    + StudyReport.HTML_FILE + ", one self-contained page that opens offline (merged accuracy vs expert training"
                    + " length, each task's stop, signals over time, easy vs hard examples, compute saved, provenance), and DIR/"
                    + StudyReport.JSON_FILE + " with the same numbers; prints the headline numbers."})
public final class ReportCommand implements Callable<Integer> {
    private final PrintStream out;

    @Option(names = "--from-file", paramLabel = "LOG", required = true, description = "the event log")
    Path log;
    @Option(names = "--out", paramLabel = "DIR", description = "where to write (default: the log's folder)")
    Path dir;

    ReportCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Path parent = log.toAbsolutePath().getParent();
        StudyReport.write(log, dir != null ? dir : parent == null ? Path.of(".") : parent, out);
        return 0;
    }
}
