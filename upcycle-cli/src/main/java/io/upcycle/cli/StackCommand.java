package io.upcycle.cli;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.stack.LocalStack;
import io.upcycle.stack.LocalStackOptions;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code upcycle stack}: starts the local Kafka broker and schema registry and waits for Ctrl-C. */
final class StackCommand implements Command {
    @Override
    public String name() {
        return "stack";
    }

    @Override
    public String summary() {
        return "start the local Kafka broker + schema registry on 127.0.0.1 and wait (Ctrl-C stops)";
    }

    @Override
    public String help() {
        return """
                Usage: upcycle stack [--keep]

                Starts a real Kafka 4.3.1 broker (KRaft, in-process) and an Apicurio Registry
                (Confluent-compatible API) on 127.0.0.1, creates Upcycle's topics, prints the two
                endpoints and waits. Ctrl-C stops both. Point services at it with
                  --bootstrap.servers HOST:PORT --schema.registry.url URL
                or the environment variables UPCYCLE_BOOTSTRAP_SERVERS and UPCYCLE_REGISTRY_URL.

                Options:
                  --keep    keep topics and schemas between runs (in <upcycle home>/stack)
                """;
    }

    @Override
    public int run(Args args) throws InterruptedException {
        args.requireKnown(Set.of("keep"));
        LocalStackOptions options = args.flag("keep") ? LocalStackOptions.defaults().keepingData() : LocalStackOptions.defaults();
        CountDownLatch stopped = new CountDownLatch(1);
        try (LocalStack stack = LocalStack.start(options)) {
            Topics.ensureCreated(new KafkaConnection(stack.bootstrapServers(), stack.registryUrl()), 1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "upcycle-stack-wait"));
            System.out.println("UPCYCLE_BOOTSTRAP_SERVERS=" + stack.bootstrapServers());
            System.out.println("UPCYCLE_REGISTRY_URL=" + stack.registryUrl());
            System.out.println("Local stack is up; Ctrl-C stops it.");
            stopped.await();
        }
        return 0;
    }
}
