package io.upcycle.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorBenchmarkOptionsTest {

    private static MonitorBenchmarkOptions withStores(List<String> stores) {
        return new MonitorBenchmarkOptions(4, List.of(8192), 1_000_000, 0, List.of(64), stores, 2, 0, 0, 50, 0, 42, Map.of());
    }

    @Test
    void shouldMeasureMemoryThenRocksDbByDefault() {
        // when
        MonitorBenchmarkOptions options = MonitorBenchmarkOptions.defaults();

        // then: rocksdb, the monitor's default store, comes first
        assertThat(options.stateStores()).containsExactly("rocksdb", "memory");
    }

    @Test
    void shouldAcceptOneStoreOrBothInEitherOrderIgnoringCaseAndSpaces() {
        // when / then
        assertThat(withStores(List.of("rocksdb")).stateStores()).containsExactly("rocksdb");
        assertThat(withStores(List.of(" RocksDB", "memory ")).stateStores()).containsExactly("rocksdb", "memory");
    }

    @Test
    void shouldRefuseAnUnknownStoreNamingTheOptionAndTheAllowedValues() {
        // when / then
        assertThatThrownBy(() -> withStores(List.of("memory", "redis")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores")
                .hasMessageContaining("redis").hasMessageContaining("memory").hasMessageContaining("rocksdb");
        assertThatThrownBy(() -> withStores(List.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores");
    }

    @Test
    void shouldRefuseAStoreNamedTwiceOrNone() {
        // when / then
        assertThatThrownBy(() -> withStores(List.of("memory", "Memory")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores")
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> withStores(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores")
                .hasMessageContaining("at least one");
    }

    @Test
    void shouldAlternateTheStoreAndRunSizeOrderBetweenRounds() {
        // given
        List<String> stores = List.of("memory", "rocksdb");

        // when / then: neither store nor run size always goes first
        assertThat(MonitorBenchmark.roundOrder(stores, 1)).containsExactly("memory", "rocksdb");
        assertThat(MonitorBenchmark.roundOrder(stores, 2)).containsExactly("rocksdb", "memory");
        assertThat(MonitorBenchmark.roundOrder(stores, 3)).containsExactly("memory", "rocksdb");
        assertThat(MonitorBenchmark.roundOrder(List.of("rocksdb"), 2)).containsExactly("rocksdb");
        assertThat(MonitorBenchmark.roundOrder(List.of(8192, 1_000_000, 10_000_000), 2)).containsExactly(10_000_000, 1_000_000, 8192);
    }

    @Test
    void shouldRefuseMonitorSettingsOfKeysTheBenchSetsItself() {
        // when / then
        assertThatThrownBy(() -> new MonitorBenchmarkOptions(4, List.of(8192), 1_000_000, 0, List.of(64), List.of("rocksdb"),
                1, 0, 0, 50, 0, 42, Map.of("state.store", "memory")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--monitor-set")
                .hasMessageContaining("state.store").hasMessageContaining("--state-stores");
        assertThat(new MonitorBenchmarkOptions(4, List.of(8192), 1_000_000, 0, List.of(64), List.of("rocksdb"),
                1, 0, 0, 50, 0, 42, Map.of("commit.interval.ms", "100")).monitorSettings())
                .containsEntry("commit.interval.ms", "100");
    }
}
