package io.upcycle.model.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.files.Sha256;
import io.upcycle.model.tasks.RealData;
import io.upcycle.model.fetch.CommandRunner;
import io.upcycle.model.fetch.DataFetcher;
import io.upcycle.model.fetch.DataIntegrityException;
import io.upcycle.model.fetch.DataManifest;
import io.upcycle.model.fetch.DebianPackage;
import io.upcycle.model.fetch.FetchContext;
import io.upcycle.model.tasks.TaskCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetcherTest {
    private static final DebianPackage GERMAN = new DebianPackage("fortunes-de");
    private static final String ZITATE = "debian/fortunes-de/usr/share/games/fortunes/de/zitate";

    @TempDir
    Path temp;

    @Test
    void shouldVerifyWithoutRunningAnyCommandWhenDataIsAlreadyFetched() {
        // given
        Path dataRoot = RealData.dataRoot();
        List<List<String>> commands = new ArrayList<>();
        DataFetcher fetcher = new DataFetcher(dataRoot, DataManifest.committed(), (dir, command) -> {
            commands.add(command);
            throw new AssertionError("no command expected, got " + command);
        });

        // when
        long start = System.nanoTime();
        fetcher.ensure(TaskCatalog.allSources());
        long millis = (System.nanoTime() - start) / 1_000_000;

        // then
        assertThat(commands).isEmpty();
        assertThat(millis).as("re-verifying ~50 MB of fetched files (fortunes, weka, 6,046 spam messages)").isLessThan(5_000);
    }

    @Test
    void shouldRefuseCorruptFileNamingItBothHashesAndTheFix() throws IOException {
        // given a copy of the real package with one byte flipped
        Path dataRoot = copyOfGermanPackage();
        Path zitate = dataRoot.resolve(ZITATE);
        byte[] bytes = Files.readAllBytes(zitate);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(zitate, bytes);
        String expected = DataManifest.committed().under(ZITATE.substring(0, ZITATE.lastIndexOf('/'))).stream()
                .filter(e -> e.path().equals(ZITATE)).findFirst().orElseThrow().sha256();

        // when / then
        DataFetcher fetcher = new DataFetcher(dataRoot, DataManifest.committed(), CommandRunner.system());
        assertThatThrownBy(() -> fetcher.ensure(List.of(GERMAN)))
                .isInstanceOf(DataIntegrityException.class)
                .hasMessageContaining("corrupt data file " + zitate)
                .hasMessageContaining("expected sha256 " + expected)
                .hasMessageContaining("actual " + Sha256.of(zitate))
                .hasMessageContaining("rm -rf '" + dataRoot.resolve("debian/fortunes-de") + "'");
    }

    @Test
    void shouldRefuseMissingFileNamingIt() throws IOException {
        // given
        Path dataRoot = copyOfGermanPackage();
        Files.delete(dataRoot.resolve(ZITATE));

        // when / then
        DataFetcher fetcher = new DataFetcher(dataRoot, DataManifest.committed(), CommandRunner.system());
        assertThatThrownBy(() -> fetcher.ensure(List.of(GERMAN)))
                .isInstanceOf(DataIntegrityException.class)
                .hasMessageContaining("missing data file " + dataRoot.resolve(ZITATE))
                .hasMessageContaining("(no file)");
    }

    @Test
    void shouldUpdatePackageListsOnceAndRetryWhenDownloadFails() {
        // given apt-get download fails until the lists are updated
        List<String> log = new ArrayList<>();
        boolean[] updated = {false};
        CommandRunner fakeApt = (dir, command) -> {
            log.add(String.join(" ", command.subList(0, 2)));
            if (command.get(1).equals("update")) {
                updated[0] = true;
            } else if (command.get(1).equals("download")) {
                if (!updated[0]) {
                    return new CommandRunner.Result(command, 100, "E: Unable to locate package " + command.get(2));
                }
                touch(dir.resolve(command.get(2) + "_1.0_all.deb"));
            }
            return new CommandRunner.Result(command, 0, "");
        };
        FetchContext context = new FetchContext(fakeApt, temp.resolve("scratch"), new java.util.HashSet<>());

        // when
        GERMAN.fetchInto(temp.resolve("de"), context);
        new DebianPackage("fortunes-es").fetchInto(temp.resolve("es"), context);

        // then
        assertThat(log).containsExactly("apt-get download", "apt-get update", "apt-get download", "dpkg-deb -x",
                "apt-get download", "dpkg-deb -x");
    }

    private Path copyOfGermanPackage() throws IOException {
        Path source = RealData.dataRoot().resolve(GERMAN.relativeDir());
        Path dataRoot = temp.resolve("data");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = dataRoot.resolve(GERMAN.relativeDir()).resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        return dataRoot;
    }

    private static void touch(Path file) {
        try {
            Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
