package io.upcycle.cli;

import io.upcycle.cli.study.Study;
import io.upcycle.cli.study.StudyOptions;
import io.upcycle.stack.LocalStack;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code upcycle demo}: the main job, the whole study on the embedded local stack, ending with a report. */
final class DemoCommand implements Command {
    private static final Set<String> KEYS = Set.of("quick", "out", "tasks", "modes", "seeds", "steps", "lr", "lora-rank",
            "lengths", "methods", "rules", "heads", "moe", "enforce", "target-fraction", "loss-threshold");

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "the main job: does stopping experts at their memorization point merge better? (report in " + StudyOptions.DEFAULT_OUT + "/)";
    }

    @Override
    public String help() {
        return """
                Usage: upcycle demo [--quick] [--out DIR] [OPTIONS]

                Runs the study on the embedded stack (Kafka + schema registry on 127.0.0.1; everything it
                starts is stopped at the end): fetches and embeds the data and pretrains the base on first
                use, then for each fine-tuning mode and seed trains one expert per task concurrently (each
                head and adapter seeded from (seed, task)) with the monitor observing (it records where the
                learned-fraction rule would stop each expert), keeps 16 checkpoints per octave of steps,
                replays each group's log under the other stop rules (--rules), and merges (task arithmetic,
                TIES with a per-tensor and a global trim, DARE-TIES; LoRA also upcycled into a
                Mixture-of-Experts) at each task's stop under every rule, at each fixed length and at the
                full budget, lambda searched on validation until it is interior; plus two baselines: the
                base trunk with each expert's own head (lambda 0) at every point, and a linear probe on
                the frozen base. A second pass trains again with the decisions enforced, to measure the
                compute saved. Every result is an event; the report is built from the exported event log.

                Writes into DIR (default ./%s): report.html (self-contained), summary.json and %s
                (the event log; upcycle audit --from-file and upcycle report --from-file read it).
                The full run took 18 minutes on 2 cores (first run included); --quick about 2.

                Options (defaults of the full run; --quick: seeds 1, steps 1024, lengths 32,256,1024):
                  --quick                  small budget and fewer lengths, for smoke tests
                  --out DIR                where the report goes
                  --tasks A,B,...          one expert per task (default %s)
                  --modes FULL,LORA        fine-tuning modes (default FULL,LORA)
                  --seeds 1,2,3            seeds; results are mean +- s.d. over them (default 1,2,3)
                  --steps N                budget per expert (default 8192)
                  --lr X                   Adam's constant learning rate (default 0.003)
                  --lora-rank R            LoRA rank (default 8)
                  --lengths 32,64,...      fixed lengths merged, powers of two up to --steps (default 32..steps)
                  --methods M,...          merge methods; NAME:global trims ties over the whole task vector
                                           (default %s)
                  --rules R,...            stop rules replayed on each group's log (default %s; empty: none)
                  --heads new|probe        new: each expert trains a new head; probe: each starts from its task's
                                           linear probe on the base, frozen, and trains the trunk only (default new)
                  --moe true|false         also upcycle LoRA adapters into an MoE (default true)
                  --enforce true|false     run the enforce pass (default true)
                  --target-fraction F      learned fraction that stops an expert (default 0.97)
                  --loss-threshold T       loss under which an example counts as learned (default 0.1)
                """.formatted(StudyOptions.DEFAULT_OUT, io.upcycle.cli.report.StudyReport.LOG_FILE,
                String.join(",", StudyOptions.TASKS), String.join(",", StudyOptions.METHODS), String.join(",", StudyOptions.RULES));
    }

    @Override
    public int run(Args args) throws Exception {
        StudyOptions options = options(args);
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

    static StudyOptions options(Args args) {
        args.requireKnown(KEYS);
        Path out = Path.of(args.get("out", StudyOptions.DEFAULT_OUT.toString()));
        StudyOptions base = args.flag("quick") ? StudyOptions.quick(out) : StudyOptions.full(out);
        try {
            long steps = Long.parseLong(args.get("steps", Long.toString(base.steps())));
            List<Long> lengths = args.get("lengths").map(DemoCommand::longs)
                    .orElse(steps == base.steps() ? base.lengths() : StudyOptions.powersOfTwo(32, steps));
            return new StudyOptions(args.get("tasks").map(DemoCommand::words).orElse(base.tasks()),
                    args.get("modes").map(DemoCommand::words).orElse(base.modes()),
                    args.get("seeds").map(DemoCommand::longs).orElse(base.seeds()), steps,
                    Float.parseFloat(args.get("lr", Float.toString(base.learningRate()))),
                    Integer.parseInt(args.get("lora-rank", Integer.toString(base.loraRank()))), lengths,
                    args.get("methods").map(DemoCommand::words).orElse(base.methods()),
                    args.get("rules").map(DemoCommand::words).orElse(base.rules()), args.get("heads", base.heads()),
                    bool(args.get("moe", "true"), "moe"), bool(args.get("enforce", "true"), "enforce"),
                    Double.parseDouble(args.get("target-fraction", Double.toString(base.targetFraction()))),
                    Double.parseDouble(args.get("loss-threshold", Double.toString(base.lossThreshold()))), out);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a numeric option is not a number: " + e.getMessage());
        }
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<Long> longs(String text) {
        return words(text).stream().map(Long::parseLong).toList();
    }

    private static boolean bool(String text, String key) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + key + " must be true or false, got '" + text + "'");
        };
    }
}
