package io.upcycle.cli;

import io.upcycle.cli.report.StudyReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code upcycle report --from-file LOG [--out DIR]}: rebuilds a study's report from its exported event
 * log alone: DIR/report.html (self-contained) and DIR/summary.json, and prints the headline numbers.
 */
final class ReportCommand implements Command {
    private final PrintStream out;

    ReportCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "build a study's HTML report and summary.json from its exported event log";
    }

    @Override
    public String help() {
        return """
                Usage: upcycle report --from-file LOG [--out DIR]

                Reads a study's event log (written by upcycle demo, or by upcycle export after a study) and
                writes DIR/%s, one self-contained page that opens offline (merged accuracy vs expert training
                length, each task's stop, signals over time, easy vs hard examples, compute saved, provenance),
                and DIR/%s with the same numbers; prints the headline numbers.

                  --from-file LOG   the event log (required)
                  --out DIR         where to write (default: the log's folder)
                """.formatted(StudyReport.HTML_FILE, StudyReport.JSON_FILE);
    }

    @Override
    public int run(Args args) throws Exception {
        args.requireKnown(Set.of("from-file", "out"));
        Path log = Path.of(args.get("from-file").orElseThrow(() -> new IllegalArgumentException("--from-file LOG is required")));
        Path parent = log.toAbsolutePath().getParent();
        Path dir = Path.of(args.get("out", parent == null ? "." : parent.toString()));
        StudyReport.write(log, dir, out);
        return 0;
    }
}
