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
 * overall and per task.
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
        for (MergeCompleted m : perSeed) {
            m.getScores().forEach(s -> byTask.computeIfAbsent(s.getTask(), k -> new ArrayList<>()).add(s));
            for (ExpertRef e : m.getExperts()) {
                steps.computeIfAbsent(e.getTask(), k -> new ArrayList<>()).add((double) e.getStep());
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
        return new PointResult(point, meanOverTasks(perSeed, TaskScore::getMergedAccuracy),
                meanOverTasks(perSeed, TaskScore::getNormalizedAccuracy), meanOverTasks(perSeed, TaskScore::getExpertAccuracy),
                merged, normalized, expert, difficulty, stepStats, perSeed.stream().map(MergeCompleted::getMergeId).toList());
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
