package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioDistributionTest {

    @Test
    void shouldNameTheFolderAndTheFixWhenNotUnpacked(@TempDir Path home) {
        // given an empty upcycle home, when the distribution is located, then the error says where and how
        assertThatThrownBy(() -> ApicurioDistribution.locate(home))
                .isInstanceOf(StackStartException.class)
                .hasMessageContaining(home.resolve("apicurio").resolve(ApicurioDistribution.VERSION).toString())
                .hasMessageContaining("-pl local-stack package");
    }

    @Test
    void shouldFindTheRunnerJarWhenUnpacked(@TempDir Path home) throws Exception {
        // given an unpacked layout
        Path folder = Files.createDirectories(home.resolve("apicurio").resolve(ApicurioDistribution.VERSION));
        Files.createDirectories(folder.resolve("lib"));
        Path runner = Files.createFile(folder.resolve("apicurio-registry-app-3.0.9-runner.jar"));

        // when located
        ApicurioDistribution distribution = ApicurioDistribution.locate(home);

        // then it points at the runner jar
        assertThat(distribution.runnerJar()).isEqualTo(runner);
        assertThat(distribution.folder()).isEqualTo(folder);
    }

    @Test
    void shouldRejectAFolderWithoutLibraries(@TempDir Path home) throws Exception {
        Path folder = Files.createDirectories(home.resolve("apicurio").resolve(ApicurioDistribution.VERSION));
        Files.createFile(folder.resolve("apicurio-registry-app-3.0.9-runner.jar"));

        assertThatThrownBy(() -> ApicurioDistribution.locate(home)).isInstanceOf(StackStartException.class);
    }
}
