package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.file.FileMerge;
import io.upcycle.merger.file.FileMergeArgs;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge on files streams a LoRA adapter's dense rows chunk by chunk, and writes what merging its
 * dense expert ({@link LoraAdapter#mergeInto}, written to a file) as a full checkpoint writes.
 */
class LoraFileMergeTest extends TfEngineTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheBytesOfTheDenseExpertsMergeWhenChunksSplitRows() throws IOException {
        // given two adapters and one full checkpoint, and the adapters' dense experts written to files
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 41L, List.of("task-a", "task-b", "task-c"), false);
        Path base = fixture.base.path();
        List<Path> mixed = List.of(fixture.adapters.get("task-a").path(), fixture.adapters.get("task-b").path(),
                fixture.dense.get("task-c").path());
        List<Path> dense = List.of(denseFile(fixture, "task-a"), denseFile(fixture, "task-b"), fixture.dense.get("task-c").path());
        for (String method : List.of("task_arithmetic", "ties")) {
            OptionalDouble density = method.equals("ties") ? OptionalDouble.of(0.4) : OptionalDouble.empty();
            // chunks of 1000 and 4099 values end inside rows of 384 and 256 values
            for (int chunk : new int[] {1000, 4099}) {
                Path fromAdapters = dir.resolve(method + "-" + chunk + "-lora.safetensors");
                Path fromDense = dir.resolve(method + "-" + chunk + "-dense.safetensors");

                // when
                FileMerge.run(new FileMergeArgs(method, base, fromAdapters, mixed, 0.8, density, 3L),
                        MergeMethods.defaults(), manager, "cpu", chunk);
                FileMerge.run(new FileMergeArgs(method, base, fromDense, dense, 0.8, density, 3L),
                        MergeMethods.defaults(), manager, "cpu", chunk);

                // then the files differ only in the inputs' hashes: the same tensors, bit for bit, and the same other metadata
                Map<String, String> metadata;
                try (SafetensorsFile lora = Safetensors.open(fromAdapters); SafetensorsFile full = Safetensors.open(fromDense)) {
                    metadata = lora.metadata();
                    assertThat(lora.names()).isEqualTo(full.names())
                            .contains(ExpertLayout.TRUNK0_WEIGHT, "experts.0.head.weight", "experts.2.head.bias");
                    assertThat(withoutInputs(lora.metadata())).isEqualTo(withoutInputs(full.metadata()));
                    assertThat(lora.read(ExpertLayout.TRUNK1_WEIGHT).data())
                            .isNotEqualTo(fixture.baseTensors.get(ExpertLayout.TRUNK1_WEIGHT).data());
                }
                assertThat(Files.readAllBytes(fromAdapters)).as(method + " chunk " + chunk)
                        .isEqualTo(Files.readAllBytes(rewritten(fromDense, metadata)));
            }
        }
    }

    @Test
    void shouldRefuseAnAdapterWhoseFactorsDoNotFitTheBaseNamingBothFilesTheTensorAndBothShapes() {
        // given a base whose first trunk weight is [256, 100] and an adapter of it whose B A is [256, 384]
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 42L, List.of(), false);
        Map<String, Tensor> tensors = new LinkedHashMap<>(fixture.baseTensors);
        tensors.put(ExpertLayout.TRUNK0_WEIGHT, new Tensor(ExpertLayout.TRUNK0_WEIGHT, new long[] {256, 100}, new float[25_600]));
        StoredCheckpoint narrow = fixture.store.save("narrow", 0, "FULL_WEIGHTS", tensors.values(), Map.of());
        LoraAdapter adapter = fixture.adapter(narrow.sha256());
        StoredCheckpoint stored = fixture.store.save("lora-narrow", 1, "LORA_ADAPTER", adapter.tensors(), adapter.metadata());
        Path out = dir.resolve("never.safetensors");

        // when / then
        assertThatThrownBy(() -> FileMerge.run(new FileMergeArgs("ties", narrow.path(), out, List.of(stored.path()), 1.0,
                OptionalDouble.empty(), 0L), MergeMethods.defaults(), manager, "cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(stored.path().toString()).hasMessageContaining(narrow.path().toString())
                .hasMessageContaining("'" + ExpertLayout.TRUNK0_WEIGHT + "'")
                .hasMessageContaining("[256, 384]").hasMessageContaining("[256, 100]");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldRefuseAnAdapterWhoseHeadHasAnotherShapeThanTheBaseHeadNamingTheAdapterFile() {
        // given a base with a 3-class head and an adapter with a 2-class head
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 43L, List.of("task-a"));
        Path adapter = fixture.adapters.get("task-a").path();
        Path out = dir.resolve("never.safetensors");

        // when / then
        assertThatThrownBy(() -> FileMerge.run(new FileMergeArgs("task_arithmetic", fixture.base.path(), out, List.of(adapter),
                1.0, OptionalDouble.empty(), 0L), MergeMethods.defaults(), manager, "cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(adapter.toString()).hasMessageContaining(fixture.base.path().toString())
                .hasMessageContaining("'" + ExpertLayout.HEAD_BIAS + "'").hasMessageContaining("[2]").hasMessageContaining("[3]");
        assertThat(out).doesNotExist();
    }

    /** The previous path: the adapter's dense expert, {@link LoraAdapter#mergeInto} on the base, as a full checkpoint file. */
    private Path denseFile(TinyLora fixture, String task) {
        LoraAdapter adapter;
        try (SafetensorsFile file = Safetensors.open(fixture.adapters.get(task).path())) {
            adapter = LoraAdapter.read(file);
        }
        Path file = dir.resolve("dense-of-" + task + ".safetensors");
        Safetensors.write(file, adapter.mergeInto(fixture.baseTensors.values()), Map.of());
        return file;
    }

    /** {@code file}'s tensors written again with {@code metadata}. */
    private Path rewritten(Path file, Map<String, String> metadata) {
        List<Tensor> tensors = new ArrayList<>();
        try (SafetensorsFile read = Safetensors.open(file)) {
            read.names().forEach(name -> tensors.add(read.read(name)));
        }
        Path copy = dir.resolve("rewritten-" + file.getFileName());
        Safetensors.write(copy, tensors, metadata);
        return copy;
    }

    private static Map<String, String> withoutInputs(Map<String, String> metadata) {
        Map<String, String> rest = new LinkedHashMap<>(metadata);
        rest.keySet().removeIf(key -> key.startsWith("upcycle.expert."));
        return rest;
    }
}
