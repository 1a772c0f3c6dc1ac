package io.upcycle.merger.file;

import io.upcycle.merger.engine.ExpertTensors;
import io.upcycle.merger.engine.LoraDenseTensors;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Dtype;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One expert of a merge on files: the file given on the command line (named in every message), the
 * names of the tensors it stands for, and their values read a range at a time ({@link ExpertTensors}).
 * A full checkpoint stands for its own tensors, read from the open file. A LoRA adapter of the base
 * stands for its dense expert: every tensor of the base but the head, {@code W + (alpha/r) B A} on
 * its target layers, then its own head as {@code head.*} ({@link LoraDenseTensors}); its rows are
 * computed for the range asked, so only the adapter's small factors are held, never a dense matrix.
 */
final class FileExpert implements AutoCloseable {
    private final Path path;
    private final SafetensorsFile file;
    private final Set<String> names;
    private final ExpertTensors tensors;

    private FileExpert(Path path, SafetensorsFile file, Set<String> names, ExpertTensors tensors) {
        this.path = path;
        this.file = file;
        this.names = Collections.unmodifiableSet(names);
        this.tensors = tensors;
    }

    /**
     * The expert in the file at {@code path}; an adapter is checked against the base ({@code baseSha256},
     * refused otherwise, naming the file and both hashes) and its file closed once its factors are read.
     */
    static FileExpert open(Path path, SafetensorsFile base, String baseSha256) {
        SafetensorsFile file = Safetensors.open(path);
        if (!ExpertTensors.isLora(file)) {
            return new FileExpert(path, file, new TreeSet<>(file.names()), ExpertTensors.of(file));
        }
        try (file) {
            Set<String> names = new TreeSet<>(base.names());
            names.addAll(ExpertLayout.HEAD);
            return new FileExpert(path, null, names, ExpertTensors.of(file, base, baseSha256));
        }
    }

    Path path() {
        return path;
    }

    /** The tensor names, sorted. */
    Set<String> names() {
        return names;
    }

    boolean contains(String name) {
        return names.contains(name);
    }

    long[] shape(String name) {
        return tensors.shape(name);
    }

    /** The stored dtype of a full checkpoint's tensor; a LoRA expert's values are computed as float32. */
    Dtype dtype(String name) {
        return file != null ? file.dtype(name) : Dtype.F32;
    }

    ExpertTensors tensors() {
        return tensors;
    }

    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
