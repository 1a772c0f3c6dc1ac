package io.upcycle.model.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.model.fetch.CommandRunner;
import io.upcycle.model.fetch.DataFetchException;
import io.upcycle.model.fetch.FetchContext;
import io.upcycle.model.fetch.NpmPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmPackageTest {
    @TempDir
    Path temp;

    @Test
    void shouldPackCheckIntegrityThenUnpackWhenTheTarballMatches() throws Exception {
        // given a tarball laid out as npm packs one, and a runner that plays npm with it
        Path tarball = packedTarball();
        NpmPackage pkg = new NpmPackage("@scope/tiny-data", "1.2.3", sha512Integrity(tarball));
        List<String> log = new ArrayList<>();

        // when
        pkg.fetchInto(temp.resolve("target"), context(tarball, log));

        // then
        assertThat(log).containsExactly("npm pack", "tar -xzf");
        assertThat(temp.resolve("target/data/a.txt")).hasContent("hello");
        assertThat(pkg.relativeDir()).isEqualTo("npm/scope-tiny-data-1.2.3");
        assertThat(pkg.name()).isEqualTo("npm:@scope/tiny-data@1.2.3");
    }

    @Test
    void shouldRefuseToUnpackWhenTheTarballDoesNotMatchItsIntegrity() throws Exception {
        // given a pin that is not the tarball's hash
        Path tarball = packedTarball();
        String wrong = "sha512-" + Base64.getEncoder().encodeToString(new byte[64]);
        NpmPackage pkg = new NpmPackage("tiny-data", "1.2.3", wrong);
        List<String> log = new ArrayList<>();

        // when / then
        assertThatThrownBy(() -> pkg.fetchInto(temp.resolve("target"), context(tarball, log)))
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining("tiny-data-1.2.3.tgz")
                .hasMessageContaining("has integrity " + sha512Integrity(tarball))
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("Fix: ");
        assertThat(log).containsExactly("npm pack");
        assertThat(temp.resolve("target")).doesNotExist();
    }

    @Test
    void shouldRefuseLoosePins() {
        // when / then
        assertThatThrownBy(() -> new NpmPackage("tiny-data", "^1.2.3", sha512Integrity(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exact npm version");
        assertThatThrownBy(() -> new NpmPackage("tiny-data", "1.2.3", "sha1-abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha512-");
    }

    /** Plays {@code npm pack} by copying the tarball into the work folder; runs the real {@code tar}. */
    private FetchContext context(Path tarball, List<String> log) {
        CommandRunner runner = (dir, command) -> {
            log.add(command.get(0) + " " + command.get(1));
            if (command.get(0).equals("npm")) {
                copy(tarball, dir.resolve("tiny-data-1.2.3.tgz"));
                return new CommandRunner.Result(command, 0, "tiny-data-1.2.3.tgz");
            }
            return CommandRunner.system().run(dir, command);
        };
        return new FetchContext(runner, temp.resolve("scratch"), new HashSet<>());
    }

    private Path packedTarball() throws IOException {
        Path source = temp.resolve("src/package/data");
        Files.createDirectories(source);
        Files.writeString(source.resolve("a.txt"), "hello");
        Path tarball = temp.resolve("packed.tgz");
        CommandRunner.system().run(temp, List.of("tar", "-czf", tarball.toString(), "-C", temp.resolve("src").toString(), "package"))
                .orThrow();
        return tarball;
    }

    private static String sha512Integrity(Path file) throws IOException {
        return sha512Integrity(Files.readAllBytes(file));
    }

    private static String sha512Integrity(byte[] bytes) {
        try {
            return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
