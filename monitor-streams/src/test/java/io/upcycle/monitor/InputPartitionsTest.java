package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InputPartitionsTest {
    @Test
    void shouldRefuseInputTopicsWithDifferentPartitionCountsNamingThem() {
        assertThatThrownBy(() -> InputPartitions.requireEqual(Map.of("upcycle.runs", 1, "upcycle.example-losses", 4)))
                .hasMessageContaining("same number of partitions").hasMessageContaining("upcycle.example-losses=4");
    }

    @Test
    void shouldAcceptEqualCounts() {
        assertThatCode(() -> InputPartitions.requireEqual(Map.of("upcycle.runs", 3, "upcycle.checkpoints", 3)))
                .doesNotThrowAnyException();
    }
}
