package io.upcycle.merger;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For {@code upcycle merge} on files: writes the dense expert a LoRA adapter stands for (every
 * tensor of the base except its head, with {@code W + (alpha/r) B A} on the adapted layers, then
 * the adapter's head as {@code head.*}) to a temporary file that the file merge then reads like
 * any full expert. The caller deletes the file when the merge is done.
 */
final class LoraDenseFile {
    private LoraDenseFile() {
    }

    /** The dense file of {@code adapter}, after checking that it belongs to {@code base} ({@code baseSha256}). */
    static Path write(SafetensorsFile adapter, SafetensorsFile base, String baseSha256) {
        ExpertTensors dense = ExpertTensors.of(adapter, base, baseSha256);
        List<Tensor> tensors = new ArrayList<>();
        for (String name : base.names()) {
            if (!ExpertLayout.HEAD.contains(name)) {
                tensors.add(dense.read(name));
            }
        }
        ExpertLayout.HEAD.forEach(name -> tensors.add(dense.read(name)));
        try {
            Path file = Files.createTempFile("upcycle-lora-dense-", ".safetensors");
            Safetensors.write(file, tensors, Map.of("upcycle.dense_of", adapter.path().toString()));
            return file;
        } catch (IOException e) {
            throw new CheckpointException("cannot write the dense expert of LoRA adapter " + adapter.path() + ": " + e.getMessage(), e);
        }
    }
}
