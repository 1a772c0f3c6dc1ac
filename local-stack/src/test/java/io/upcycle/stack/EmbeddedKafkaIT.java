package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldKeepRecordsAcrossRestartsWhenStartedOnAFolder(@TempDir Path folder) throws Exception {
        // given a broker on a kept folder that received one record
        Path logDir = folder.resolve("kafka");
        try (EmbeddedKafka first = EmbeddedKafka.start(logDir)) {
            KafkaRoundTrip.produce(first.bootstrapServers(), "raw-kept", "k", "before restart");
        }

        // when a second broker starts on the same folder
        try (EmbeddedKafka second = EmbeddedKafka.start(logDir)) {
            var records = KafkaRoundTrip.readAll(second.bootstrapServers(), "raw-kept", 1, READ_TIMEOUT, "read_uncommitted");

            // then the record is still there, and the folder outlives the broker
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("before restart");
        }
        assertThat(logDir.resolve("meta.properties")).exists();
    }

    @Test
    void shouldCommitTransactionsAndListenOnLoopbackOnlyWhenTemporary() throws Exception {
        // given a temporary broker
        Path logDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            logDir = kafka.logDir();

            // when a transactional producer commits a record (what exactly_once_v2 needs)
            KafkaRoundTrip.produceInTransaction(kafka.bootstrapServers(), "tx-topic", "k", "committed");
            var records = KafkaRoundTrip.readAll(kafka.bootstrapServers(), "tx-topic", 1, READ_TIMEOUT, "read_committed");

            // then a read_committed consumer sees it, and every listening socket of this JVM is on 127.0.0.1
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("committed");
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            if (ListeningSockets.supported()) {
                assertThat(ListeningSockets.of(ProcessHandle.current().pid()))
                        .isNotEmpty()
                        .allSatisfy(address -> assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1"))
                        .extracting(InetSocketAddress::getPort)
                        .contains(Integer.parseInt(kafka.bootstrapServers().split(":")[1]));
            }
        }

        // and the temporary folder is gone after close
        assertThat(Files.exists(logDir)).isFalse();
    }
}
