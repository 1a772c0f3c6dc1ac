package io.upcycle.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.files.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private final Tensor bias = Tensor.of("trunk.0.bias", new float[] {0.25f, -1f, 4f}, 3);

    @Test
    void shouldStoreUnderRunAndStepAndReturnTheHashOfTheFile() throws IOException {
        // given
        CheckpointStore store = new CheckpointStore(dir);

        // when
        StoredCheckpoint saved = store.save("run-1", 40, "FULL_WEIGHTS", List.of(bias), Map.of("task", "t"));

        // then
        Path expected = dir.resolve("run-1").resolve("step-40.safetensors");
        assertThat(saved.path()).isEqualTo(expected);
        assertThat(saved.uri()).startsWith("file:/").isEqualTo(expected.toUri().toString());
        assertThat(saved.sha256()).isEqualTo(Sha256.of(Files.readAllBytes(expected))).hasSize(64);
        assertThat(saved.sizeBytes()).isEqualTo(Files.size(expected));
        try (SafetensorsFile read = store.openVerified(saved.uri(), saved.sha256())) {
            assertThat(read.read("trunk.0.bias")).isEqualTo(bias);
            assertThat(read.metadata()).containsEntry("task", "t").containsEntry(CheckpointStore.META_RUN_ID, "run-1")
                    .containsEntry(CheckpointStore.META_STEP, "40").containsEntry(CheckpointStore.META_KIND, "FULL_WEIGHTS");
        }
        try (Stream<Path> files = Files.list(expected.getParent())) {
            assertThat(files).containsExactly(expected);
        }
    }

    @Test
    void shouldRefuseAFileWhoseHashDiffersNamingTheFileAndBothHashes() throws IOException {
        // given a stored checkpoint changed after its event was published
        CheckpointStore store = new CheckpointStore(dir);
        StoredCheckpoint saved = store.save("run-1", 1, "FULL_WEIGHTS", List.of(bias), Map.of());
        Files.write(saved.path(), new byte[] {0}, StandardOpenOption.APPEND);
        String actual = Sha256.of(saved.path());

        // when / then
        assertThatThrownBy(() -> store.openVerified(saved.uri(), saved.sha256()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(saved.path().toString())
                .hasMessageContaining("expected sha256 " + saved.sha256())
                .hasMessageContaining(actual);
    }

    @Test
    void shouldRefuseAMissingFileNamingIt() {
        // given
        CheckpointStore store = new CheckpointStore(dir);
        Path missing = dir.resolve("run-9").resolve("step-1.safetensors");

        // when / then
        assertThatThrownBy(() -> store.openVerified(missing.toUri().toString(), "00"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseARunIdThatWouldEscapeTheStore() {
        // given
        CheckpointStore store = new CheckpointStore(dir);

        // when / then
        assertThatThrownBy(() -> store.save("../evil", 1, "FULL_WEIGHTS", List.of(bias), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../evil'");
    }

    @Test
    void shouldRefuseToOpenAFileOutsideTheReadableRootsEvenWithItsRightHash(@TempDir Path outside) throws IOException {
        // given a valid checkpoint copied outside the store, a climb out with "..", a symbolic link out, and /etc/passwd
        CheckpointStore store = new CheckpointStore(dir);
        StoredCheckpoint saved = store.save("run-1", 1, "FULL_WEIGHTS", List.of(bias), Map.of());
        Path copy = Files.copy(saved.path(), outside.resolve("step-1.safetensors"));
        String climb = dir.toUri() + "run-1/../../" + outside.getFileName() + "/step-1.safetensors";
        Path link = Files.createSymbolicLink(dir.resolve("run-2"), outside);
        String viaLink = link.resolve("step-1.safetensors").toUri().toString();

        // when / then every one is refused naming the uri and the roots, before its hash is read
        for (String uri : List.of(copy.toUri().toString(), climb, viaLink, "file:/etc/passwd")) {
            assertThatThrownBy(() -> store.openVerified(uri, saved.sha256()))
                    .as(uri).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("refusing checkpoint uri " + uri)
                    .hasMessageContaining("outside the readable roots [" + dir.toAbsolutePath().normalize() + "]");
        }
        try (SafetensorsFile read = store.openVerified(saved.uri(), saved.sha256())) {
            assertThat(read.read("trunk.0.bias")).isEqualTo(bias);
        }
    }

    @Test
    void shouldOpenFilesUnderAnyOfSeveralReadableRoots(@TempDir Path baseCache) throws IOException {
        // given a store that also reads a base cache
        StoredCheckpoint base = new CheckpointStore(baseCache).save("base", 0, "FULL_WEIGHTS", List.of(bias), Map.of());
        CheckpointStore store = new CheckpointStore(dir, List.of(dir, baseCache));

        // when
        try (SafetensorsFile read = store.openVerified(base.uri(), base.sha256())) {
            // then
            assertThat(read.read("trunk.0.bias")).isEqualTo(bias);
        }
        assertThat(store.readableRoots()).containsExactly(dir.toAbsolutePath().normalize(), baseCache.toAbsolutePath().normalize());
    }

    @Test
    void shouldSayUpFrontWhetherARunFolderCanBeWrittenNamingIt() throws IOException {
        // given
        CheckpointStore store = new CheckpointStore(dir);
        Files.writeString(dir.resolve("taken"), "a file where the run folder would be");

        // when / then
        assertThat(store.requireWritable("run-1")).isDirectory().isEqualTo(dir.resolve("run-1"));
        try (Stream<Path> files = Files.list(dir.resolve("run-1"))) {
            assertThat(files).isEmpty();
        }
        assertThatThrownBy(() -> store.requireWritable("taken")).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("checkpoint folder " + dir.resolve("taken") + " is not writable (FileAlreadyExistsException");
    }

    @Test
    void shouldPlaceTheDefaultStoreUnderUpcycleHome() {
        // when
        Path root = CheckpointStore.atDefaultLocation().root();

        // then
        assertThat(root).isEqualTo(CheckpointStore.home().resolve("checkpoints"));
    }
}
