package io.upcycle.cli.report;

import io.upcycle.cli.report.StudyResults.MethodResult;
import io.upcycle.cli.report.StudyResults.ModeResult;
import io.upcycle.cli.report.StudyResults.PointResult;
import io.upcycle.schemas.avro.MergeCompleted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one function from a study's events to its {@link StudyResults}. Only merge results tagged
 * with {@code study.point} count. They are grouped by mode ({@code study.mode}), method (the
 * {@code study.method} label, else the event's method; {@code base_heads} is a baseline) and point
 * ({@code auto}, a replayed {@code rule}, a fixed {@code study.length}, or the {@code baseline}); a point's value per seed is
 * the mean over tasks, and the point reports mean ± sample s.d. over seeds. The full budget is the
 * largest fixed length; the best fixed length is the one with the highest mean merged accuracy
 * (chosen on test: an oracle, not a method).
 */
final class ResultsBuilder {
    private final StudyEvents events;
    private final List<String> warnings = new ArrayList<>();

    ResultsBuilder(StudyEvents events) {
        this.events = events;
    }

    StudyResults build() {
        List<MergeCompleted> study = events.merges().stream().filter(m -> m.getTags().containsKey(StudyTags.POINT)).toList();
        if (study.isEmpty()) {
            throw new IllegalArgumentException("the log holds no study results: none of its " + events.merges().size()
                    + " merge result(s) is tagged " + StudyTags.POINT + " (it has " + events.started().size() + " run start(s))");
        }
        events.undecodable().forEach(u -> warnings.add("undecodable record skipped: " + u));
        RunFacts runs = new RunFacts(events);
        Set<String> modes = new TreeSet<>();
        study.forEach(m -> modes.add(m.getTags().getOrDefault(StudyTags.MODE, "")));
        List<ModeResult> results = new ArrayList<>();
        for (String mode : modes) {
            results.add(mode(mode, study.stream().filter(m -> m.getTags().getOrDefault(StudyTags.MODE, "").equals(mode)).toList(), runs));
        }
        String id = study.get(0).getTags().getOrDefault(StudyTags.ID, "");
        return new StudyResults(id, List.copyOf(results), ProvenanceBuilder.of(runs, study), List.copyOf(warnings));
    }

    private ModeResult mode(String mode, List<MergeCompleted> merges, RunFacts runs) {
        Set<String> tasks = new LinkedHashSet<>();
        Set<Long> seeds = new TreeSet<>();
        Set<Long> lengths = new TreeSet<>();
        Set<String> methods = new LinkedHashSet<>();
        Set<String> rules = new LinkedHashSet<>();
        for (MergeCompleted m : merges) {
            m.getScores().forEach(s -> tasks.add(s.getTask()));
            seeds.add(seed(m));
            if (isLength(m)) {
                lengths.add(length(m));
            }
            if (point(m).equals(StudyTags.POINT_RULE)) {
                rules.add(m.getTags().getOrDefault(StudyTags.RULE, ""));
            }
            if (!m.getMethod().equals(StudyTags.LINEAR_PROBE)) {
                methods.add(method(m));
            }
        }
        long full = lengths.isEmpty() ? -1 : ((TreeSet<Long>) lengths).last();
        long budget = runs.runs(mode, StudyTags.OBSERVE).stream().mapToLong(runs::budget).max().orElse(full);
        if (full >= 0 && budget != full) {
            warnings.add(mode + ": the largest fixed length merged (" + full + ") is not the runs' budget (" + budget
                    + "); the report calls " + full + " the full budget");
        }
        List<MethodResult> methodResults = new ArrayList<>();
        MethodResult baseHeads = null;
        for (String method : methods) {
            MethodResult result = method(method, merges.stream().filter(m -> method(m).equals(method)).toList(), lengths, rules, full);
            if (method.equals(StudyTags.BASE_HEADS)) {
                baseHeads = result;
            } else {
                methodResults.add(result);
            }
        }
        PointResult probe = PointStats.of(StudyResults.BASELINE, merges.stream()
                .filter(m -> m.getMethod().equals(StudyTags.LINEAR_PROBE)).toList());
        var stops = runs.stops(mode);
        String autoRule = merges.stream().filter(m -> point(m).equals(StudyResults.AUTO)).map(m -> m.getTags().get(StudyTags.RULE))
                .filter(r -> r != null).findFirst()
                .orElse(stops.stream().filter(s -> s.pass().equals(StudyTags.OBSERVE)).map(StudyResults.TaskStop::policy)
                        .filter(p -> !p.equals(StudyTags.END_OF_RUN)).findFirst().orElse("automatic"));
        return new ModeResult(mode, full, List.copyOf(tasks), List.copyOf(seeds), List.copyOf(lengths), List.copyOf(methodResults),
                baseHeads, probe, stops, runs.compute(mode), runs.signals(mode, stops), autoRule, List.copyOf(rules), runs.heads(mode));
    }

    private static MethodResult method(String method, List<MergeCompleted> of, Set<Long> lengths, Set<String> rules, long full) {
        NavigableMap<Long, PointResult> byLength = new TreeMap<>();
        for (long length : lengths) {
            List<MergeCompleted> at = of.stream().filter(m -> isLength(m) && length(m) == length).toList();
            if (!at.isEmpty()) {
                byLength.put(length, PointStats.of(Long.toString(length), at));
            }
        }
        PointResult auto = PointStats.of(StudyResults.AUTO, of.stream().filter(m -> point(m).equals(StudyResults.AUTO)).toList());
        Map<String, PointResult> byRule = new LinkedHashMap<>();
        for (String rule : rules) {
            byRule.put(rule, PointStats.of(rule, of.stream().filter(m -> point(m).equals(StudyTags.POINT_RULE)
                    && m.getTags().getOrDefault(StudyTags.RULE, "").equals(rule)).toList()));
        }
        long best = byLength.entrySet().stream().filter(e -> e.getValue().merged().present())
                .max((a, b) -> a.getValue().merged().mean() != b.getValue().merged().mean()
                        ? Double.compare(a.getValue().merged().mean(), b.getValue().merged().mean())
                        : Long.compare(b.getKey(), a.getKey())) // equal means: the shorter length
                .map(Map.Entry::getKey).orElse(-1L);
        return new MethodResult(method, auto, byRule, byLength.get(full), byLength, best);
    }

    /** The method as the study named it ({@code study.method}: {@code ties:global}, {@code base_heads}), else the event's. */
    static String method(MergeCompleted m) {
        return m.getTags().getOrDefault(StudyTags.METHOD, m.getMethod());
    }

    static String point(MergeCompleted m) {
        return m.getTags().getOrDefault(StudyTags.POINT, "");
    }

    static boolean isLength(MergeCompleted m) {
        return point(m).equals(StudyTags.POINT_LENGTH) && m.getTags().containsKey(StudyTags.LENGTH);
    }

    static long length(MergeCompleted m) {
        return StudyTags.longOf(m.getTags(), StudyTags.LENGTH, -1);
    }

    static long seed(MergeCompleted m) {
        return StudyTags.longOf(m.getTags(), StudyTags.SEED, m.getSeed());
    }
}
