package io.upcycle.cli;

import java.util.List;
import java.util.Set;

/**
 * What {@code upcycle demo} runs: the tasks (one expert each), their budget and learning rate,
 * and the stop rule's parameters.
 *
 * @param tasks one expert per task, trained concurrently
 * @param steps the budget of each expert; the monitor usually stops it earlier
 * @param learningRate Adam's constant learning rate
 * @param seed seed of head init and data order
 * @param targetFraction the learned-fraction policy's target
 * @param lossThreshold below this loss an example counts as learned
 */
record DemoOptions(List<String> tasks, long steps, float learningRate, long seed, double targetFraction, double lossThreshold) {
    static final Set<String> KEYS = Set.of("tasks", "steps", "lr", "seed", "target-fraction", "loss-threshold");

    DemoOptions {
        if (tasks.size() < 2) {
            throw new IllegalArgumentException("--tasks needs at least two tasks to merge, got " + tasks);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        if (!(targetFraction > 0 && targetFraction <= 1)) {
            throw new IllegalArgumentException("--target-fraction must be in (0, 1], got " + targetFraction);
        }
        if (!(lossThreshold > 0)) {
            throw new IllegalArgumentException("--loss-threshold must be > 0, got " + lossThreshold);
        }
        tasks = List.copyOf(tasks);
    }

    static DemoOptions from(Args args) {
        args.requireKnown(KEYS);
        try {
            return new DemoOptions(List.of(args.get("tasks", "fortune-topic-6,fortune-lang-8").split(",")),
                    Long.parseLong(args.get("steps", "1500")), Float.parseFloat(args.get("lr", "0.003")),
                    Long.parseLong(args.get("seed", "1")), Double.parseDouble(args.get("target-fraction", "0.97")),
                    Double.parseDouble(args.get("loss-threshold", "0.1")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a numeric option is not a number: " + e.getMessage());
        }
    }
}
