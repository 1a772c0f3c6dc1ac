package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.schemas.registry.RegistryException;
import io.upcycle.schemas.registry.RegistryOutage;
import io.upcycle.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that cannot answer is never a reason to dead-letter a record. */
class MonitorTopologyRegistryOutageTest {
    private static final String RUN = "run-1";

    @TempDir
    Path stateDir;

    /** The harness's registry, except that the first {@code failures} schema fetches find it unreachable. */
    private static final class FlakyRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient real;
        private final AtomicInteger failuresLeft;

        FlakyRegistry(SchemaRegistryClient real, int failures) {
            this.real = real;
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public Schema schemaById(int id) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new RegistryException("schema registry at flaky cannot be reached", -1, -1, null);
            }
            return real.schemaById(id);
        }

        @Override
        public String baseUrl() {
            return "flaky";
        }

        @Override
        public int register(String subject, Schema schema) {
            return real.register(subject, schema);
        }

        @Override
        public Optional<Integer> lookup(String subject, Schema schema) {
            return real.lookup(subject, schema);
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return real.isCompatible(subject, schema);
        }

        @Override
        public void setCompatibility(String subject, String level) {
            real.setCompatibility(subject, level);
        }

        @Override
        public Optional<String> compatibility(String subject) {
            return real.compatibility(subject);
        }

        @Override
        public List<String> subjects() {
            return real.subjects();
        }
    }

    @Test
    void shouldWaitOutAShortOutageInPlaceAndApplyTheRecord() {
        // given a registry that fails the first 3 fetches (under the 4 waits in place)
        try (MonitorHarness h = new MonitorHarness(MonitorHarness.config(stateDir, Map.of()), r -> new FlakyRegistry(r, 3))) {
            // when
            h.runs.pipeInput(RUN, Events.started(RUN, 4), 1L);

            // then the record was applied and nothing dead-lettered
            assertThat(h.state(RUN)).isNotNull();
            assertThat(h.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldFailTheThreadOnALongerOutageWithoutADeadLetter() {
        // given a registry that stays down longer than the waits in place
        try (MonitorHarness h = new MonitorHarness(MonitorHarness.config(stateDir, Map.of()), r -> new FlakyRegistry(r, 100))) {
            // when / then the failure reaches the thread (which is replaced and retries from the last commit)
            assertThatThrownBy(() -> h.runs.pipeInput(RUN, Events.started(RUN, 4), 1L))
                    .matches(RegistryOutage::isOutage, "is a registry outage");
            assertThat(h.deadLetters.isEmpty()).isTrue();
        }
    }
}
