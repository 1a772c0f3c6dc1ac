package io.upcycle.cli;

import io.upcycle.monitor.audit.AuditReport;
import io.upcycle.monitor.audit.RunAudit;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.StopDecision;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/** The readable text of an {@link AuditReport}: per run, reproduced or not, why, and the counterfactual. */
final class AuditText {
    /** How many of a decision's most recent signal values are printed. */
    static final int SIGNAL_TAIL = 8;

    private AuditText() {
    }

    static String format(AuditReport report) {
        StringBuilder out = new StringBuilder();
        for (RunAudit run : report.runs()) {
            out.append(String.format(Locale.ROOT, "run %s: %s (%d decision(s) recorded, %d replayed%s)%n", run.runId(),
                    run.reproduced() ? "REPRODUCED" : "NOT REPRODUCED", run.recorded().size(), run.replayed().size(),
                    run.reproduced() && !run.recorded().isEmpty() ? (run.evidenceIdentical() ? "; evidence identical" : "; evidence differs") : ""));
            run.mismatches().forEach(m -> out.append("  mismatch: ").append(m).append('\n'));
            for (StopDecision d : run.recorded()) {
                out.append("  recorded: ").append(summary(d)).append('\n');
                why(out, d);
            }
            if (!run.reproduced()) {
                run.replayed().forEach(d -> out.append("  replayed: ").append(summary(d)).append('\n'));
            }
            if (run.deadLetters().count() > 0) {
                out.append("  the replay dead-lettered ").append(run.deadLetters().count()).append(" record(s) of this run, first:\n");
                run.deadLetters().firstReasons().forEach(r -> out.append("    ").append(r).append('\n'));
            }
            if (!report.counterfactualPolicy().isEmpty()) {
                out.append("  counterfactual ").append(report.counterfactualPolicy()).append(": ")
                        .append(counterfactual(run)).append('\n');
            }
        }
        long failed = report.runs().stream().filter(r -> !r.reproduced()).count();
        out.append(String.format(Locale.ROOT, "%d run(s) audited, %d record(s) replayed, %d dead-lettered in the replay: %s%n",
                report.runs().size(), report.records(), report.deadLetters(),
                failed == 0 ? "every decision reproduced" : failed + " run(s) NOT reproduced"));
        return out.toString();
    }

    static String counterfactual(RunAudit run) {
        List<StopDecision> alt = run.counterfactual();
        StopDecision stop = alt.stream().filter(d -> !d.getPolicy().equals("end-of-run")).findFirst().orElse(null);
        String recorded = run.recorded().isEmpty() ? "" : " (recorded: step " + run.recorded().get(0).getDecidedAtStep() + ")";
        if (stop != null) {
            return "this run would have stopped at step " + stop.getDecidedAtStep() + ", "
                    + (stop.getCheckpointStep() == null ? "with no checkpoint yet" : "checkpoint " + stop.getCheckpointStep())
                    + recorded + "; " + stop.getReason();
        }
        return "this run would not have stopped within the " + run.lastStep() + " step(s) the log holds" + recorded;
    }

    private static String summary(StopDecision d) {
        return String.format(Locale.ROOT, "%s at step %d, checkpoint %s, %s: %s", d.getDecisionId(), d.getDecidedAtStep(),
                d.getCheckpointStep() == null ? "none" : d.getCheckpointStep(), d.getMode(), d.getReason());
    }

    private static void why(StringBuilder out, StopDecision d) {
        out.append("    policy ").append(d.getPolicy()).append(" v").append(d.getPolicyVersion()).append(' ')
                .append(d.getParameters()).append('\n');
        for (SignalSeries s : d.getSignals()) {
            int n = s.getSteps().size();
            StringJoiner tail = new StringJoiner(", ");
            for (int i = Math.max(0, n - SIGNAL_TAIL); i < n; i++) {
                tail.add(String.format(Locale.ROOT, "%d: %.4f", s.getSteps().get(i), s.getValues().get(i)));
            }
            out.append("    ").append(s.getName()).append(" by step (last ").append(Math.min(n, SIGNAL_TAIL)).append(" of ")
                    .append(n).append("): ").append(tail).append('\n');
        }
        out.append("    top hard examples: ").append(d.getTopHardExampleIds()).append('\n');
    }
}
