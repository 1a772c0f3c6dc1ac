package io.upcycle.merger.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertsBaseTest {
    private static final String SHA = "a".repeat(64);
    @TempDir
    Path dir;

    @Test
    void shouldFindTheBaseTheExpertsNameInTheStoresReadableFolders() throws IOException {
        // given a base cache folder holding base-1 and two experts that name it
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.writeString(cache.resolve("base-1.safetensors"), "stand-in");
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), List.of(dir.resolve("checkpoints"), cache));
        ExpertCheckpoint a = expert(store, "run-a", Map.of(CheckpointMetadata.BASE_ID, "base-1", CheckpointMetadata.BASE_SHA256, SHA));
        ExpertCheckpoint b = expert(store, "run-b", Map.of(CheckpointMetadata.BASE_ID, "base-1", CheckpointMetadata.BASE_SHA256, SHA));

        // when
        ExpertsBase.Base base = ExpertsBase.of(store, List.of(a, b));

        // then
        assertThat(base.uri()).isEqualTo(cache.resolve("base-1.safetensors").toAbsolutePath().toUri().toString());
        assertThat(base.sha256()).isEqualTo(SHA);
    }

    @Test
    void shouldRefuseExpertsOfDifferentBasesOrNamingNoneOrOneNotThere() throws IOException {
        // given experts of two bases, one naming none, one naming a base no readable folder holds
        CheckpointStore store = new CheckpointStore(Files.createDirectories(dir.resolve("checkpoints")));
        Files.writeString(store.root().resolve("base-1.safetensors"), "stand-in");
        Files.writeString(store.root().resolve("base-2.safetensors"), "stand-in");
        ExpertCheckpoint one = expert(store, "run-a", Map.of(CheckpointMetadata.BASE_ID, "base-1", CheckpointMetadata.BASE_SHA256, SHA));
        ExpertCheckpoint two = expert(store, "run-b", Map.of(CheckpointMetadata.BASE_ID, "base-2",
                CheckpointMetadata.BASE_SHA256, "b".repeat(64)));
        ExpertCheckpoint none = expert(store, "run-c", Map.of());
        ExpertCheckpoint missing = expert(store, "run-d", Map.of(CheckpointMetadata.BASE_ID, "base-9", CheckpointMetadata.BASE_SHA256, SHA));

        // when / then
        assertThatThrownBy(() -> ExpertsBase.of(store, List.of(one, two))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("runs run-a and run-b were trained from different bases");
        assertThatThrownBy(() -> ExpertsBase.of(store, List.of(one, none))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("run run-c").hasMessageContaining("names no base").hasMessageContaining("plan.base.uri");
        assertThatThrownBy(() -> ExpertsBase.of(store, List.of(missing))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("base-9.safetensors").hasMessageContaining("is in none of");
    }

    private static ExpertCheckpoint expert(CheckpointStore store, String run, Map<String, String> metadata) {
        StoredCheckpoint saved = store.save(run, 10, "FULL_WEIGHTS", List.of(Tensor.of("w", new float[] {1f, 2f}, 2)), metadata);
        return new ExpertCheckpoint(run, "task", 10, saved.uri(), saved.sha256());
    }
}
