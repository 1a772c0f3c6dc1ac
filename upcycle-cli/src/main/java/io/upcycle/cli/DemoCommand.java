package io.upcycle.cli;

import io.upcycle.cli.report.StudyReport;
import io.upcycle.cli.study.Study;
import io.upcycle.cli.study.StudyOptions;
import io.upcycle.stack.LocalStack;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code upcycle demo}: the main job, the whole study on the embedded local stack, ending with a report. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job: does stopping experts at their memorization point merge better?",
            "",
            "Runs the study on the embedded stack (Kafka + schema registry on 127.0.0.1; everything it starts is stopped at"
                    + " the end): fetches and embeds the data and pretrains the base on first use, then for each fine-tuning mode"
                    + " and seed trains one expert per task concurrently (each head and adapter seeded from (seed, task)) with the"
                    + " monitor observing (it records where the learned-fraction rule would stop each expert), keeps 16"
                    + " checkpoints per octave of steps, replays each group's log under the other stop rules (--rules), and merges"
                    + " (task arithmetic, TIES with a per-tensor and a global trim, DARE-TIES; LoRA also upcycled into a"
                    + " Mixture-of-Experts) at each task's stop under every rule, at each fixed length and at the full budget,"
                    + " lambda searched on validation until it is interior; plus two baselines: the base trunk with each expert's"
                    + " own head (lambda 0) at every point, and a linear probe on the frozen base. A second pass trains again with"
                    + " the decisions enforced, to measure the compute saved. Every result is an event; the report is built from"
                    + " the exported event log.",
            "",
            "Writes into DIR: " + StudyReport.HTML_FILE + " (self-contained), " + StudyReport.JSON_FILE + " and "
                    + StudyReport.LOG_FILE + " (the event log; upcycle audit --from-file and upcycle report --from-file read it)."
                    + " The full run took 18 minutes on 2 cores (first run included); --quick about 2.",
            ""},
        footer = {"", "Defaults are the full run's; --quick: seeds 1, steps 1024, lengths 32,256,1024."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "small budget and fewer lengths, for smoke tests")
    boolean quick;
    @Option(names = "--out", paramLabel = "DIR", description = "where the report goes (default: ./upcycle-report)")
    Path out = StudyOptions.DEFAULT_OUT;
    @Option(names = "--tasks", split = ",", paramLabel = "A,B", description = "one expert per task (default: spam,grain,fortune-topic-6,fortune-lang-8)")
    List<String> tasks;
    @Option(names = "--modes", split = ",", paramLabel = "FULL,LORA", description = "fine-tuning modes (default: FULL,LORA)")
    List<String> modes;
    @Option(names = "--seeds", split = ",", paramLabel = "1,2,3", description = "seeds; results are mean +- s.d. over them (default: 1,2,3)")
    List<Long> seeds;
    @Option(names = "--steps", paramLabel = "N", description = "budget per expert (default: 8192)")
    Long steps;
    @Option(names = "--lr", paramLabel = "X", description = "Adam's constant learning rate (default: 0.003)")
    Float lr;
    @Option(names = "--lora-rank", paramLabel = "R", description = "LoRA rank (default: 8)")
    Integer loraRank;
    @Option(names = "--lengths", split = ",", paramLabel = "32,64", description = "fixed lengths merged, powers of two up to --steps (default: 32..steps)")
    List<Long> lengths;
    @Option(names = "--methods", split = ",", paramLabel = "M", description = "merge methods; NAME:global trims ties over the whole"
            + " task vector (default: task_arithmetic,ties,ties:global,dare_ties)")
    List<String> methods;
    @Option(names = "--rules", split = ",", paramLabel = "R", arity = "0..1", description = "stop rules replayed on each group's log"
            + " (default: plateau; empty: none)")
    List<String> rules;
    @Option(names = "--heads", paramLabel = "new|probe", description = "new: each expert trains a new head; probe: each starts from"
            + " its task's linear probe on the base, frozen, and trains the trunk only (default: new)")
    String heads;
    @Option(names = "--moe", paramLabel = "true|false", arity = "1", description = "also upcycle LoRA adapters into an MoE (default: true)")
    boolean moe = true;
    @Option(names = "--enforce", paramLabel = "true|false", arity = "1", description = "run the enforce pass (default: true)")
    boolean enforce = true;
    @Option(names = "--target-fraction", paramLabel = "F", description = "learned fraction that stops an expert (default: 0.97)")
    Double targetFraction;
    @Option(names = "--loss-threshold", paramLabel = "T", description = "loss under which an example counts as learned (default: 0.1)")
    Double lossThreshold;

    @Override
    public Integer call() throws Exception {
        StudyOptions options = options();
        long started = System.nanoTime();
        System.out.println("upcycle demo: starting the local stack (Kafka + schema registry on 127.0.0.1) ...");
        try (LocalStack stack = LocalStack.start()) {
            Study.Outcome outcome = new Study(stack.endpoints(), options, System.out).run();
            System.out.println();
            System.out.println("report:  " + outcome.report().html().toAbsolutePath());
            System.out.println("summary: " + outcome.report().summary().toAbsolutePath());
            System.out.println("log:     " + outcome.report().log().toAbsolutePath());
        }
        System.out.printf("%ndone in %.1f min; everything the demo started is stopped.%n", (System.nanoTime() - started) / 6e10);
        return 0;
    }

    /** The study the options describe: the full (or quick) one with the options given in place of its values. */
    StudyOptions options() {
        StudyOptions base = quick ? StudyOptions.quick(out) : StudyOptions.full(out);
        long budget = steps == null ? base.steps() : steps;
        List<Long> fixedLengths = lengths != null ? lengths : budget == base.steps() ? base.lengths() : StudyOptions.powersOfTwo(32, budget);
        return new StudyOptions(or(tasks, base.tasks()), or(modes, base.modes()), or(seeds, base.seeds()), budget,
                lr == null ? base.learningRate() : lr, loraRank == null ? base.loraRank() : loraRank, fixedLengths,
                or(methods, base.methods()), rules == null ? base.rules() : rules.stream().filter(r -> !r.isBlank()).toList(),
                heads == null ? base.heads() : heads, moe, enforce,
                targetFraction == null ? base.targetFraction() : targetFraction,
                lossThreshold == null ? base.lossThreshold() : lossThreshold, out);
    }

    private static <T> List<T> or(List<T> given, List<T> fallback) {
        return given == null ? fallback : given;
    }
}
