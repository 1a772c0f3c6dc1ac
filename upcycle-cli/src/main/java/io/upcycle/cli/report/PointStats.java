package io.upcycle.cli.report;

import io.upcycle.cli.report.StudyResults.Difficulty;
import io.upcycle.cli.report.StudyResults.PointResult;
import io.upcycle.schemas.avro.DifficultyScore;
import io.upcycle.schemas.avro.ExpertRef;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.TaskScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Aggregates the merges of one method at one point over seeds: one merge per seed (the last one in
 * the log if a seed was merged twice); per seed the mean over its tasks; then mean ± s.d. over seeds,
 * overall and per task; with the merged and decided steps, the chosen lambda and how many merges
 * chose a lambda at the edge of what their search tried.
 */
final class PointStats {
    private PointStats() {
    }

    static PointResult of(String point, List<MergeCompleted> merges) {
        Map<Long, MergeCompleted> bySeed = new TreeMap<>();
        merges.forEach(m -> bySeed.put(ResultsBuilder.seed(m), m));
        List<MergeCompleted> perSeed = List.copyOf(bySeed.values());
        Map<String, List<TaskScore>> byTask = new LinkedHashMap<>();
        Map<String, List<Double>> steps = new LinkedHashMap<>();
        Map<String, List<Double>> decided = new LinkedHashMap<>();
        List<Double> lambdas = new ArrayList<>();
        int atEdge = 0;
        for (MergeCompleted m : perSeed) {
            m.getScores().forEach(s -> byTask.computeIfAbsent(s.getTask(), k -> new ArrayList<>()).add(s));
            for (ExpertRef e : m.getExperts()) {
                steps.computeIfAbsent(e.getTask(), k -> new ArrayList<>()).add((double) e.getStep());
            }
            decidedSteps(m).forEach((task, step) -> decided.computeIfAbsent(task, k -> new ArrayList<>()).add(step));
            String lambda = m.getParameters().get(StudyTags.LAMBDA);
            if (lambda != null) {
                lambdas.add(Double.parseDouble(lambda));
            }
            String edge = m.getParameters().get(StudyTags.LAMBDA_EDGE);
            if (edge != null && !edge.equals("none")) {
                atEdge++;
            }
        }
        Map<String, Stat> merged = new LinkedHashMap<>();
        Map<String, Stat> normalized = new LinkedHashMap<>();
        Map<String, Stat> expert = new LinkedHashMap<>();
        Map<String, Difficulty> difficulty = new LinkedHashMap<>();
        byTask.forEach((task, scores) -> {
            merged.put(task, over(scores, TaskScore::getMergedAccuracy));
            normalized.put(task, over(scores, TaskScore::getNormalizedAccuracy));
            expert.put(task, over(scores, TaskScore::getExpertAccuracy));
            List<DifficultyScore> d = scores.stream().map(TaskScore::getDifficulty).filter(x -> x != null).toList();
            if (!d.isEmpty()) {
                difficulty.put(task, new Difficulty(over(d, DifficultyScore::getExpertEasyAccuracy),
                        over(d, DifficultyScore::getExpertHardAccuracy), over(d, DifficultyScore::getMergedEasyAccuracy),
                        over(d, DifficultyScore::getMergedHardAccuracy)));
            }
        });
        Map<String, Stat> stepStats = new LinkedHashMap<>();
        steps.forEach((task, values) -> stepStats.put(task, Stat.of(values)));
        Map<String, Stat> decidedStats = new LinkedHashMap<>();
        decided.forEach((task, values) -> decidedStats.put(task, Stat.of(values)));
        return new PointResult(point, meanOverTasks(perSeed, TaskScore::getMergedAccuracy),
                meanOverTasks(perSeed, TaskScore::getNormalizedAccuracy), meanOverTasks(perSeed, TaskScore::getExpertAccuracy),
                merged, normalized, expert, difficulty, stepStats, decidedStats, Stat.of(lambdas), atEdge,
                perSeed.stream().map(MergeCompleted::getMergeId).toList());
    }

    /** The {@code study.decided} tag, {@code task=step,...}, as task to step; empty when absent or unreadable. */
    static Map<String, Double> decidedSteps(MergeCompleted m) {
        Map<String, Double> out = new LinkedHashMap<>();
        String tag = m.getTags().get(StudyTags.DECIDED);
        if (tag == null || tag.isBlank()) {
            return out;
        }
        for (String pair : tag.split(",", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.lastIndexOf('=');
            try {
                out.put(pair.substring(0, equals), Double.parseDouble(pair.substring(equals + 1)));
            } catch (RuntimeException e) {
                return Map.of();
            }
        }
        return out;
    }

    /** Per seed, the mean over its tasks; then the Stat over seeds. */
    private static Stat meanOverTasks(List<MergeCompleted> perSeed, ToDoubleFunction<TaskScore> value) {
        List<Double> values = new ArrayList<>();
        for (MergeCompleted m : perSeed) {
            if (!m.getScores().isEmpty()) {
                values.add(m.getScores().stream().mapToDouble(value).average().orElseThrow());
            }
        }
        return Stat.of(values);
    }

    private static <T> Stat over(List<T> items, Function<T, Double> value) {
        return Stat.of(items.stream().map(value).toList());
    }
}
