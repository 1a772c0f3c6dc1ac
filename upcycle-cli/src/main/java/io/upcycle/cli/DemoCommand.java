package io.upcycle.cli;

import io.upcycle.stack.LocalStack;

/** {@code upcycle demo}: the main job on the embedded local stack. */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "the main job: local stack, two experts, monitor, stop, merge, table";
    }

    @Override
    public String help() {
        return """
                Usage: upcycle demo [OPTIONS]

                Starts the embedded stack (Kafka + schema registry on 127.0.0.1), fetches and embeds
                the data and pretrains the base on first use, then trains one expert per task
                concurrently. The monitor stops each expert when its learned fraction (share of
                training examples with loss below --loss-threshold) reaches --target-fraction; the
                merger then merges the chosen checkpoints by task arithmetic on DJL's TensorFlow
                engine and evaluates each task. Prints a table; stops everything it started.

                Options:
                  --tasks A,B            tasks, one expert each (default fortune-topic-6,fortune-lang-8)
                  --steps N              budget per expert (default 1500)
                  --lr X                 Adam learning rate (default 0.003)
                  --seed S               seed of head init and data order (default 1)
                  --target-fraction F    learned fraction that stops an expert (default 0.97)
                  --loss-threshold T     loss under which an example counts as learned (default 0.1)
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        DemoOptions options = DemoOptions.from(args);
        long started = System.nanoTime();
        System.out.println("upcycle demo: starting the local stack (Kafka + schema registry on 127.0.0.1) ...");
        try (LocalStack stack = LocalStack.start()) {
            DemoResult result = new Demo(stack.endpoints(), options, System.out).run();
            System.out.print(result.table());
        }
        System.out.printf("%ndone in %.0f s; everything the demo started is stopped.%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
