package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.testing.FaultInjector;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker that is down for 20 s under a running monitor: it stays up and decides on, once per run. */
class MonitorBrokerOutageIT {
    @Test
    void shouldRideOutABrokerOutageAndDecideEveryRunOnce(@TempDir Path stateDir) throws Exception {
        try (FaultInjector stack = FaultInjector.start();
             LiveMonitor live = new LiveMonitor(stack.endpoints(), stateDir, "monitor-broker-outage")) {
            KafkaConnection connection = new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
            Topics topics = Topics.connect(connection);
            // given a run decided before the outage
            live.train("before", 40);
            try (TopicTail<StopDecision> decisions = new TopicTail<>(connection, topics.stopDecisions())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> decisions.values().size() == 1);

                // when the broker is down for 20 s, through which the monitor keeps running, and a run is trained after it is back
                stack.stopBroker();
                await().dontCatchUncaughtExceptions().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> live.monitor.state().isRunningOrRebalancing());
                stack.startBroker();
                live.train("after", 40);

                // then the new run is decided, each run once, nothing dead-lettered, the monitor up
                await().atMost(Duration.ofMinutes(2)).until(() -> decisions.values().size() >= 2);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> decisions.values().size() == 2);
                assertThat(decisions.values()).extracting(StopDecision::getRunId).containsExactly("before", "after");
                assertThat(decisions.values()).allSatisfy(d -> assertThat(d.getDecidedAtStep()).isEqualTo(10));
            }
            try (TopicTail<DeadLetter> letters = new TopicTail<>(connection, topics.deadLetters())) {
                assertThat(letters.readToEnd()).isEmpty();
            }
            assertThat(live.monitor.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }
}
