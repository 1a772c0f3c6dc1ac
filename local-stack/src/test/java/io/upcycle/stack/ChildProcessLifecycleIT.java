package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(value = OS.LINUX, disabledReason = "signal semantics and /proc checks are Linux-specific")
class ChildProcessLifecycleIT {

    @Test
    void shouldStopTheRegistryWhenItsParentJvmIsKilledWithSigkill(@TempDir Path folder) throws Exception {
        // given a JVM that started a registry
        HolderJvm holder = HolderJvm.start("registry", folder);
        try {
            List<Long> descendants = holder.process().descendants().map(ProcessHandle::pid).toList();
            assertThat(descendants).as("registry and its watchdog").contains(holder.registryPid()).hasSize(2);

            // when the holder JVM is killed with SIGKILL: no shutdown hook, no close()
            holder.process().destroyForcibly().waitFor();

            // then the registry and its watchdog are gone within seconds
            await("registry and watchdog stopped").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> descendants.stream().noneMatch(Processes::isRunning));
        } finally {
            holder.process().destroyForcibly();
            // A registry that did not stop through close() keeps its log; this one was killed on purpose.
            Files.deleteIfExists(holder.registryLog());
        }
    }

    @Test
    void shouldCloseTheStackThroughTheShutdownHookWhenItsJvmIsTerminated(@TempDir Path folder) throws Exception {
        // given a JVM that started a whole stack
        HolderJvm holder = HolderJvm.start("stack", folder);
        try {
            // when it gets SIGTERM, as on Ctrl-C or `kill`
            holder.process().destroy();

            // then it exits, and the hook closed everything: registry stopped, its log and Kafka's temp folder deleted
            await("holder JVM exited").atMost(Duration.ofSeconds(60)).until(() -> !holder.process().isAlive());
            assertThat(Processes.isRunning(holder.registryPid())).isFalse();
            assertThat(holder.registryLog()).doesNotExist();
            assertThat(Path.of(holder.kafkaLogDir())).doesNotExist();
        } finally {
            holder.process().destroyForcibly();
        }
    }
}
