package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(value = OS.LINUX, disabledReason = "the watchdog is a POSIX shell script checking /proc")
class ParentDeathWatchdogTest {

    @Test
    void shouldKillTheChildWhenThePipeFromTheParentCloses() throws Exception {
        // given a child guarded by a watchdog
        Process child = new ProcessBuilder("sleep", "300").start();
        Process watchdog = ParentDeathWatchdog.guard(child.toHandle(), "sleep").orElseThrow();

        // when the pipe closes, as the kernel does when the parent JVM dies
        watchdog.getOutputStream().close();

        // then the child and the watchdog exit
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(watchdog.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldSpareAProcessWhoseCommandLineLacksTheMarker() throws Exception {
        // given a watchdog told to guard a command it will not find (as after pid reuse)
        Process child = new ProcessBuilder("sleep", "300").start();
        try {
            Process watchdog = ParentDeathWatchdog.guard(child.toHandle(), "apicurio-registry").orElseThrow();

            // when the pipe closes
            watchdog.getOutputStream().close();

            // then the watchdog exits and the process lives on
            assertThat(watchdog.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.isAlive()).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void shouldStopTheWatchdogWhenTheChildExitsByItself() throws Exception {
        // given a guarded child that exits on its own
        Process child = new ProcessBuilder("sleep", "0.2").start();
        Process watchdog = ParentDeathWatchdog.guard(child.toHandle(), "sleep").orElseThrow();

        // then the watchdog goes too, leaving nothing to kill a reused pid later
        await().atMost(Duration.ofSeconds(10)).until(() -> !watchdog.isAlive());
    }
}
