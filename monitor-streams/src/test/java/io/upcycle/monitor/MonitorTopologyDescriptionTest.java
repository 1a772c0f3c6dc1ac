package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.Topics;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorTopologyDescriptionTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldKeepTheNamesOfEveryNodeAndStore() {
        // given
        MonitorConfig config = MonitorHarness.config(stateDir, Map.of());

        // when
        TopologyDescription description = MonitorTopology.build(config, Topics.connect(new InMemorySchemaRegistryClient()), LossesLog.inMemory())
                .describe();

        // then one sub-topology (a run's events all meet in one task) with exactly these names
        assertThat(description.subtopologies()).hasSize(1);
        assertThat(description.globalStores()).isEmpty();
        Set<TopologyDescription.Node> nodes = description.subtopologies().iterator().next().nodes();
        Map<String, TopologyDescription.Node> byName = nodes.stream()
                .collect(Collectors.toMap(TopologyDescription.Node::name, n -> n));
        assertThat(byName).containsOnlyKeys("runs-source", "example-losses-source", "checkpoints-source",
                "step-metrics-source", "runs-decoder", "example-losses-decoder", "checkpoints-decoder",
                "step-metrics-decoder", "run-monitor", "commands-sink",
                "stop-decisions-sink", "dead-letters-sink");
        assertThat(((TopologyDescription.Processor) byName.get("run-monitor")).stores())
                .containsExactlyInAnyOrder("run-state", "run-examples", "run-curve", "run-decision");
        assertThat(((TopologyDescription.Source) byName.get("runs-source")).topicSet()).containsExactly("upcycle.runs");
        assertThat(((TopologyDescription.Source) byName.get("example-losses-source")).topicSet())
                .containsExactly("upcycle.example-losses");
        assertThat(((TopologyDescription.Source) byName.get("checkpoints-source")).topicSet())
                .containsExactly("upcycle.checkpoints");
        assertThat(((TopologyDescription.Source) byName.get("step-metrics-source")).topicSet())
                .containsExactly("upcycle.step-metrics");
        assertThat(byName.get("run-monitor").predecessors()).extracting(TopologyDescription.Node::name)
                .containsExactlyInAnyOrder("runs-decoder", "example-losses-decoder", "checkpoints-decoder",
                        "step-metrics-decoder");
        assertThat(((TopologyDescription.Sink) byName.get("stop-decisions-sink")).topic()).isEqualTo("upcycle.stop-decisions");
        assertThat(((TopologyDescription.Sink) byName.get("dead-letters-sink")).topic()).isEqualTo("upcycle.dead-letters");
        assertThat(((TopologyDescription.Sink) byName.get("commands-sink")).topic()).isEqualTo("upcycle.commands");
        assertThat(byName.get("commands-sink").predecessors()).extracting(TopologyDescription.Node::name)
                .containsExactly("run-monitor");
        assertThat(byName.get("dead-letters-sink").predecessors()).extracting(TopologyDescription.Node::name)
                .containsExactlyInAnyOrder("runs-decoder", "example-losses-decoder", "checkpoints-decoder",
                        "step-metrics-decoder", "run-monitor");
    }
}
