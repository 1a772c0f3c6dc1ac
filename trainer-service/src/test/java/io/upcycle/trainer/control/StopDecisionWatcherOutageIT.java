package io.upcycle.trainer.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.testing.FaultInjector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An enforced stop published while the registry is down is decoded once it is back, never skipped. */
class StopDecisionWatcherOutageIT {
    @Test
    void shouldStopTheRunOnADecisionItCouldNotDecodeDuringARegistryOutageOnceTheRegistryIsBack() throws Exception {
        try (FaultInjector stack = FaultInjector.start()) {
            // given a watcher started on an empty topic (its registry client has seen no schema yet),
            // and a monitor-side producer that registered the decision schema before the registry went down
            KafkaConnection connection = new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
            Topics.ensureCreated(connection, 1);
            Topics producerTopics = Topics.connect(connection);
            StopSignal signal = new StopSignal();
            try (EventProducer producer = new EventProducer(connection);
                 StopDecisionWatcher watcher = StopDecisionWatcher.start(connection, Topics.connect(connection).stopDecisions(),
                         "run-o", signal)) {
                producer.prepare(List.of(producerTopics.stopDecisions()));
                stack.stopRegistry();

                // when the enforced decision is published during the outage
                producer.send(producerTopics.stopDecisions(), "run-o", StopDecision.newBuilder().setDecisionId("run-o:test:12")
                        .setRunId("run-o").setTask("t").setDecidedAtStep(12).setPolicy("test").setPolicyVersion(1)
                        .setMode(DecisionMode.ENFORCE).setReason("the test says so").build(), 1L);
                producer.flush();

                // then the run is not told while the decision cannot be decoded, all through 15 s of outage ...
                await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500))
                        .alias("the run not told during the outage").until(() -> !signal.requested());

                // ... and is told once the registry is back: the record was waited for, not skipped
                stack.startRegistry();
                await().atMost(Duration.ofSeconds(30)).until(signal::requested);
                assertThat(signal.decisionId()).contains("run-o:test:12");
            }
        }
    }
}
