package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalStackOptionsTest {

    private static final Path HOME = Path.of("/tmp/upcycle-home");

    @Test
    void shouldRejectLogDirWhenDataIsNotKept() {
        // given a log folder without keepData, when built, then the error names the key
        assertThatThrownBy(() -> new LocalStackOptions(false, Optional.of(Path.of("/data")), HOME, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logDir")
                .hasMessageContaining("keepData");
    }

    @Test
    void shouldRejectNonPositiveRegistryTimeout() {
        assertThatThrownBy(() -> new LocalStackOptions(false, Optional.empty(), HOME, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registryStartTimeout");
    }

    @Test
    void shouldKeepDataUnderUpcycleHomeWhenNoFolderIsGiven() {
        // given options keeping data without a folder
        LocalStackOptions options = new LocalStackOptions(false, Optional.empty(), HOME, Duration.ofSeconds(5)).keepingData();

        // when the log folder is asked, then it lies under the upcycle home
        assertThat(options.keepData()).isTrue();
        assertThat(options.effectiveLogDir()).isEqualTo(HOME.resolve("stack").resolve("kafka"));
    }

    @Test
    void shouldUseGivenFolderWhenKeepingDataIn() {
        LocalStackOptions options = new LocalStackOptions(false, Optional.empty(), HOME, Duration.ofSeconds(5))
                .keepingDataIn(Path.of("/data/kafka"));

        assertThat(options.effectiveLogDir()).isEqualTo(Path.of("/data/kafka"));
        assertThat(options.registryOptions().upcycleHome()).isEqualTo(HOME);
    }

    @Test
    void shouldRejectBlankKafkaSqlServersInRegistryOptions() {
        RegistryOptions options = new RegistryOptions(HOME, Optional.empty(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> options.withKafkaSql(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafkaSqlBootstrapServers");
    }
}
