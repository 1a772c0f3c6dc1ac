package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.files.UpcycleHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Starts a {@link StackHolder} JVM and reads what it started. */
record HolderJvm(Process process, long registryPid, Path registryLog, String kafkaLogDir) {

    static HolderJvm start(String mode, Path folder) throws IOException {
        Path out = folder.resolve("started.txt");
        Path holderLog = folder.resolve("holder.log");
        Process process = new ProcessBuilder(RegistryCommand.javaBinary().toString(),
                "-Xmx512m", "-D" + UpcycleHome.PROPERTY + "=" + UpcycleHome.resolve(),
                "-cp", System.getProperty("java.class.path"),
                StackHolder.class.getName(), mode, out.toString())
                .redirectErrorStream(true)
                .redirectOutput(holderLog.toFile())
                .start();
        await("holder JVM started a " + mode).atMost(Duration.ofMinutes(2))
                .until(() -> Files.exists(out) || !process.isAlive());
        assertThat(process.isAlive()).as("holder JVM alive; see %s", holderLog).isTrue();
        List<String> started = Files.readAllLines(out);
        return new HolderJvm(process, Long.parseLong(started.get(0)), Path.of(started.get(1)), started.get(2));
    }
}
