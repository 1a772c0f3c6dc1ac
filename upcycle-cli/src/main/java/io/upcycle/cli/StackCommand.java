package io.upcycle.cli;

import io.upcycle.config.ConfigSpec;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.stack.LocalStack;
import io.upcycle.stack.LocalStackOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code upcycle stack}: starts the local Kafka broker and schema registry and waits for Ctrl-C. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = {"Start the local Kafka broker + schema registry on 127.0.0.1 and wait (Ctrl-C stops).",
            "",
            "Starts a real Kafka 4.3.1 broker (KRaft, in-process) and an Apicurio Registry (Confluent-compatible API) on"
                    + " 127.0.0.1, creates Upcycle's topics, prints the two endpoints as environment variables and waits."
                    + " Every command reads them: export them, or pass --bootstrap-servers and --schema-registry-url."})
public final class StackCommand implements Callable<Integer> {
    @Option(names = "--keep", description = "keep topics and schemas between runs (in <upcycle home>/stack)")
    boolean keep;

    @Override
    public Integer call() throws InterruptedException {
        LocalStackOptions options = keep ? LocalStackOptions.defaults().keepingData() : LocalStackOptions.defaults();
        CountDownLatch stopped = new CountDownLatch(1);
        try (LocalStack stack = LocalStack.start(options)) {
            Topics.ensureCreated(new KafkaConnection(stack.bootstrapServers(), stack.registryUrl()), 1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "upcycle-stack-wait"));
            System.out.println(ConfigSpec.environmentName(KafkaConnection.BOOTSTRAP_SERVERS) + "=" + stack.bootstrapServers());
            System.out.println(ConfigSpec.environmentName(KafkaConnection.REGISTRY_URL) + "=" + stack.registryUrl());
            System.out.println("Local stack is up; Ctrl-C stops it.");
            stopped.await();
        }
        return 0;
    }
}
