package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.testing.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code ./upcycle} launcher starts on every Java the Quick start promises: {@code ./upcycle
 * --help} on a JDK of each major version found under {@code /usr/lib/jvm} (or this JVM's own). The
 * launcher passes flags by version (native access from 21, {@code sun.misc.Unsafe} from 23), and a
 * flag a JVM does not know stops it at once. So that the test does not build the project again, it
 * runs a copy of the script in a folder that holds the build's classes and this test's class path, as
 * the launcher's first use leaves them. A version with no JDK here is skipped, naming it.
 */
class LauncherJdksIT {

    @ParameterizedTest(name = "Java {0}")
    @ValueSource(ints = {17, 21, 25})
    void shouldStartTheLauncherOnEachPromisedJava(int major, @TempDir Path root) throws Exception {
        Optional<Path> jdk = jdk(major);
        Assumptions.assumeTrue(jdk.isPresent(), "no Java " + major + " JDK under /usr/lib/jvm on this machine");

        // given the launcher as its first use leaves it: classes, class path file and build stamp
        Path repository = RepositoryRoot.find();
        Path launcher = Files.copy(repository.resolve("upcycle"), root.resolve("upcycle"), StandardCopyOption.COPY_ATTRIBUTES);
        Path target = Files.createDirectories(root.resolve("upcycle-cli/target"));
        Files.createSymbolicLink(target.resolve("classes"), repository.resolve("upcycle-cli/target/classes"));
        Files.writeString(target.resolve("classpath.txt"), System.getProperty("java.class.path"));
        Files.createFile(target.resolve(".built"));

        // when it runs --help on that Java
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--help").redirectErrorStream(true);
        builder.environment().put("PATH", jdk.get().resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("UPCYCLE_HOME", root.resolve("home").toString());
        builder.environment().remove("UPCYCLE_JAVA_OPTS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

        // then it starts, prints the commands and exits 0, without rebuilding
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Usage: upcycle").contains("demo").contains("monitor").doesNotContain("building");
    }

    /** A JDK of {@code major} under /usr/lib/jvm, or this JVM's own if it is that version. */
    private static Optional<Path> jdk(int major) throws IOException {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> entries = Files.list(jvms)) {
                entries.sorted().forEach(candidates::add);
            }
        }
        for (Path candidate : candidates) {
            Path release = candidate.resolve("release");
            if (Files.isExecutable(candidate.resolve("bin/java")) && Files.isRegularFile(release)
                    && majorOf(Files.readString(release)) == major) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The major version a JDK's {@code release} file names ({@code JAVA_VERSION="17.0.15"}), or -1. */
    static int majorOf(String release) {
        for (String line : release.split("\n")) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                String first = version.split("[.+-]")[0];
                return Integer.parseInt(first.equals("1") ? version.split("\\.")[1] : first);
            }
        }
        return -1;
    }
}
