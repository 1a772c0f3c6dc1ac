package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LocalStackIT {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStackIT.class);

    @Test
    void shouldServeKafkaAndRegistryOnLoopbackAndStopTheChildWhenClosed() throws Exception {
        // given a started stack
        long started = System.nanoTime();
        LocalStack stack = LocalStack.start();
        long startMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        long registryPid = stack.registry().pid();
        try {
            // when a record goes through Kafka and the registry's Confluent API is asked
            KafkaRoundTrip.produce(stack.bootstrapServers(), "stack-it", "run-1", "hello");
            List<ConsumerRecord<String, String>> records =
                    KafkaRoundTrip.readAll(stack.bootstrapServers(), "stack-it", 1, Duration.ofSeconds(30), "read_uncommitted");
            var subjects = Http.get(stack.registryUrl() + "/subjects");
            var config = Http.get(stack.registryUrl() + "/config");

            // then both answer
            assertThat(records).extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("run-1", "hello"));
            assertThat(subjects.statusCode()).isEqualTo(200);
            assertThat(subjects.body().trim()).startsWith("[").endsWith("]");
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("compatibilityLevel");
            assertThat(stack.registryUrl()).startsWith("http://127.0.0.1:").endsWith("/apis/ccompat/v7");
            LOG.info("Stack started in {} ms; RSS: this JVM (with the broker) {} MiB, registry {} MiB",
                    startMillis, Processes.rssMiB(ProcessHandle.current().pid()), Processes.rssMiB(registryPid));

            // and every socket the broker (this JVM) and the registry listen on is on 127.0.0.1
            assumeThat(ListeningSockets.supported()).as("needs Linux /proc to list sockets").isTrue();
            List<InetSocketAddress> brokerSockets = ListeningSockets.of(ProcessHandle.current().pid());
            List<InetSocketAddress> registrySockets = ListeningSockets.of(registryPid);
            assertThat(brokerSockets).extracting(InetSocketAddress::getPort).contains(port(stack.bootstrapServers()));
            assertThat(registrySockets).extracting(InetSocketAddress::getPort).contains(port(stack.registryUrl()));
            assertThat(brokerSockets).as("broker JVM listeners").allSatisfy(LocalStackIT::assertLoopbackV4);
            assertThat(registrySockets).as("registry listeners").allSatisfy(LocalStackIT::assertLoopbackV4);
        } finally {
            // when closed
            stack.close();
        }

        // then the registry's JVM is gone
        assertThat(Processes.isRunning(registryPid)).isFalse();
    }

    private static void assertLoopbackV4(InetSocketAddress address) {
        assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    private static int port(String hostPortOrUrl) {
        String afterHost = hostPortOrUrl.substring(hostPortOrUrl.indexOf("127.0.0.1:") + "127.0.0.1:".length());
        return Integer.parseInt(afterHost.split("/")[0]);
    }
}
