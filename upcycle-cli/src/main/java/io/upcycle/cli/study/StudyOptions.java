package io.upcycle.cli.study;

import io.upcycle.model.tasks.TaskCatalog;
import io.upcycle.monitor.policy.StopPolicies;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

/**
 * What a study runs: one expert per task for each fine-tuning mode and seed, all with the same
 * budget and learning rate; the fixed training lengths merged besides each task's automatic stop;
 * the merge methods; whether a second pass with the stop decisions enforced measures the compute
 * saved; and where the report goes.
 *
 * @param tasks one expert per task, trained concurrently within a (mode, seed) group
 * @param modes {@code FULL} and/or {@code LORA}
 * @param seeds one group per mode and seed
 * @param steps each expert's budget (the full-budget point of the study)
 * @param learningRate Adam's constant learning rate, both modes
 * @param loraRank rank of the LoRA adapters
 * @param lengths fixed training lengths merged (each must be a checkpointed step: a power of two or the budget)
 * @param methods weight-merging methods ({@link StudyMethod}: {@code ties:global} is TIES with a global trim); LoRA
 *     groups are also upcycled into an MoE; the base + heads baseline is always merged
 * @param rules stop rules replayed on each group's log besides the live learned-fraction rule (e.g. {@code plateau})
 * @param heads {@value #HEADS_NEW}: each expert trains a new head seeded from (seed, task); {@value #HEADS_PROBE}: each
 *     expert starts from the linear probe fitted on the base for its task, frozen, and trains only the trunk (or adapters)
 * @param moe whether LoRA groups are upcycled into a Mixture-of-Experts too
 * @param enforce whether a second pass runs with decisions enforced (compute actually saved)
 * @param targetFraction the learned-fraction policy's target
 * @param lossThreshold below this loss an example counts as learned
 * @param out the folder that receives report.html, summary.json and the event log
 */
public record StudyOptions(List<String> tasks, List<String> modes, List<Long> seeds, long steps, float learningRate,
                           int loraRank, List<Long> lengths, List<String> methods, List<String> rules, String heads,
                           boolean moe, boolean enforce, double targetFraction, double lossThreshold, Path out) {
    /** The four tasks of the first experiment (EVIDENCE.md). */
    public static final List<String> TASKS = TaskCatalog.STUDY_TASKS;
    public static final List<String> METHODS = List.of("task_arithmetic", "ties", "ties:global", "dare_ties");
    /** The source study's own rule (validation-loss patience, restore best), replayed besides the live one. */
    public static final List<String> RULES = List.of("plateau");
    public static final String HEADS_NEW = "new";
    public static final String HEADS_PROBE = "probe";
    /** Where the report goes unless {@code --out} says otherwise, relative to the working folder. */
    public static final Path DEFAULT_OUT = Path.of("upcycle-report");

    public StudyOptions {
        tasks = List.copyOf(tasks);
        modes = modes.stream().map(String::toUpperCase).toList();
        seeds = List.copyOf(seeds);
        lengths = lengths.stream().sorted().distinct().toList();
        methods = List.copyOf(methods);
        rules = List.copyOf(rules);
        require(HEADS_NEW.equals(heads) || HEADS_PROBE.equals(heads), "--heads must be new or probe, got " + heads);
        require(tasks.size() >= 2, "--tasks needs at least two tasks to merge, got " + tasks);
        require(!modes.isEmpty() && modes.stream().allMatch(m -> m.equals("FULL") || m.equals("LORA")),
                "--modes must be FULL, LORA or FULL,LORA, got " + modes);
        require(!seeds.isEmpty() && seeds.stream().distinct().count() == seeds.size(), "--seeds must be distinct, got " + seeds);
        require(steps >= 2, "--steps must be >= 2, got " + steps);
        require(learningRate > 0 && Float.isFinite(learningRate), "--lr must be > 0, got " + learningRate);
        require(loraRank >= 1, "--lora-rank must be >= 1, got " + loraRank);
        require(!lengths.isEmpty(), "--lengths needs at least one length");
        for (long length : lengths) {
            require(length >= 1 && length <= steps && (Long.bitCount(length) == 1 || length == steps),
                    "--lengths: " + length + " is not a checkpointed step (a power of two up to --steps " + steps + ", or --steps)");
        }
        require(!methods.isEmpty() || moe, "--methods is empty and MoE is off: nothing to merge");
        methods.forEach(StudyMethod::parse);
        for (String rule : rules) {
            require(StopPolicies.names().contains(rule), "--rules: unknown stop policy '" + rule + "'; known: " + StopPolicies.names());
        }
        require(targetFraction > 0 && targetFraction <= 1, "--target-fraction must be in (0, 1], got " + targetFraction);
        require(lossThreshold > 0, "--loss-threshold must be > 0, got " + lossThreshold);
    }

    /** The full study: 4 tasks x FULL and LoRA x 3 seeds, 8,192 steps, every power of two from 32 on. */
    public static StudyOptions full(Path out) {
        return new StudyOptions(TASKS, List.of("FULL", "LORA"), List.of(1L, 2L, 3L), 8192, 3e-3f, 8, powersOfTwo(32, 8192),
                METHODS, RULES, HEADS_NEW, true, true, 0.97, 0.1, out);
    }

    /** The smoke test: one seed, 1,024 steps, lengths 32, 256 and 1,024; a few minutes on 2 cores. */
    public static StudyOptions quick(Path out) {
        return new StudyOptions(TASKS, List.of("FULL", "LORA"), List.of(1L), 1024, 3e-3f, 8, List.of(32L, 256L, 1024L),
                METHODS, RULES, HEADS_NEW, true, true, 0.97, 0.1, out);
    }

    /** Powers of two from {@code from} to {@code to}, both included when they are powers of two, plus {@code to}. */
    public static List<Long> powersOfTwo(long from, long to) {
        List<Long> grid = LongStream.iterate(Long.highestOneBit(Math.max(1, from)), l -> l <= to, l -> l * 2)
                .filter(l -> l >= from).boxed().collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        if (grid.isEmpty() || grid.get(grid.size() - 1) != to) {
            grid.add(to);
        }
        return List.copyOf(grid);
    }

    /** The full budget: the largest point of the study. */
    public long fullBudget() {
        return steps;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
