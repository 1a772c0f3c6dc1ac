package io.upcycle.cli;

import io.upcycle.schemas.avro.DifficultyScore;
import io.upcycle.schemas.avro.ExpertRef;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TaskScore;
import io.upcycle.trainer.TrainingResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the demo did: each expert's run, the decision that stopped it, and the merge. */
record DemoResult(List<TrainingResult> trainings, Map<String, StopDecision> decisions, MergeCompleted merge) {

    /** The console table: per expert, then the merged model per task. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%-16s %7s %11s %-9s %8s  %s%n", "expert", "steps", "merged ckpt", "ended", "test acc", "stop reason"));
        for (TrainingResult run : trainings) {
            StopDecision decision = decisions.get(run.runId());
            ExpertRef ref = merge.getExperts().stream().filter(e -> e.getRunId().equals(run.runId())).findFirst().orElse(null);
            TaskScore score = score(run.task());
            out.append(String.format(Locale.ROOT, "%-16s %7d %11s %-9s %8.4f  %s%n", run.task(), run.stepsDone(),
                    ref == null ? "-" : "step " + ref.getStep(), run.endReason(), score == null ? Double.NaN : score.getExpertAccuracy(),
                    decision == null ? "no decision" : decision.getPolicy() + " v" + decision.getPolicyVersion() + ": " + decision.getReason()));
        }
        out.append(String.format(Locale.ROOT, "%nmerged (%s, %s): %s%n", merge.getMethod(), merge.getParameters(), merge.getOutputUri()));
        boolean split = merge.getScores().stream().anyMatch(s -> s.getDifficulty() != null);
        out.append(String.format(Locale.ROOT, "%-16s %8s %8s %10s", "task", "merged", "expert", "normalized"));
        out.append(split ? String.format(Locale.ROOT, "  %11s %11s %11s %11s%n", "merged easy", "merged hard", "expert easy", "expert hard")
                : System.lineSeparator());
        for (TaskScore score : merge.getScores()) {
            out.append(String.format(Locale.ROOT, "%-16s %8.4f %8.4f %10.4f", score.getTask(), score.getMergedAccuracy(),
                    score.getExpertAccuracy(), score.getNormalizedAccuracy()));
            out.append(split ? difficulty(score.getDifficulty()) : "").append(System.lineSeparator());
        }
        if (split) {
            DifficultyScore any = merge.getScores().stream().map(TaskScore::getDifficulty).filter(d -> d != null).findFirst().orElseThrow();
            out.append(String.format(Locale.ROOT, "(merged and expert accuracy on the training examples; hard = top %.0f%% by EL2N "
                    + "at step %d, easy = the rest)%n", any.getHardFraction() * 100, any.getReferenceStep()));
        }
        return out.toString();
    }

    /** Merged and expert accuracy on easy and hard training examples, or dashes when the task has no split. */
    private static String difficulty(DifficultyScore d) {
        if (d == null) {
            return String.format(Locale.ROOT, "  %11s %11s %11s %11s", "-", "-", "-", "-");
        }
        return String.format(Locale.ROOT, "  %11.4f %11.4f %11.4f %11.4f", d.getMergedEasyAccuracy(), d.getMergedHardAccuracy(),
                d.getExpertEasyAccuracy(), d.getExpertHardAccuracy());
    }

    private TaskScore score(String task) {
        return merge.getScores().stream().filter(s -> s.getTask().equals(task)).findFirst().orElse(null);
    }
}
