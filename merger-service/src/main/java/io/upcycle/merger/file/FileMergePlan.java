package io.upcycle.merger.file;

import io.upcycle.model.checkpoint.Dtype;
import io.upcycle.model.checkpoint.SafetensorsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which tensors a merge on files merges and which it copies, checked before any tensor is read.
 *
 * <p>The rule: every tensor of the base is merged, so every expert must hold it with the base's
 * shape (else refused, naming the file, the tensor and both shapes); a tensor only an expert holds
 * (a task head) is copied unchanged as {@code experts.<i>.<name>}, {@code i} the expert's position
 * on the command line from 0. Only floating-point tensors (F32, F16, BF16, F64) are accepted, in the
 * base and in the copied ones; any other dtype is refused, since the output is all F32. A LoRA
 * adapter takes part as the dense expert it stands for ({@link FileExpert}), named by its own file.
 */
record FileMergePlan(List<String> merged, List<Copied> copied) {
    /** A tensor copied from one expert under a new name. */
    record Copied(int expert, String name, String outputName) {
    }

    static FileMergePlan of(SafetensorsFile base, List<FileExpert> experts) {
        List<String> merged = new ArrayList<>();
        for (String name : base.names()) {
            requireFloat(base.path(), name, base.dtype(name));
            for (FileExpert expert : experts) {
                if (!expert.contains(name)) {
                    throw new IllegalArgumentException("expert " + expert.path() + " has no tensor '" + name + "' of shape "
                            + Arrays.toString(base.shape(name)) + " that the base " + base.path() + " holds");
                }
                if (!Arrays.equals(expert.shape(name), base.shape(name))) {
                    throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(expert.shape(name))
                            + " in expert " + expert.path() + " but " + Arrays.toString(base.shape(name)) + " in the base " + base.path());
                }
            }
            merged.add(name);
        }
        List<Copied> copied = new ArrayList<>();
        for (int i = 0; i < experts.size(); i++) {
            for (String name : experts.get(i).names()) {
                if (!base.contains(name)) {
                    requireFloat(experts.get(i).path(), name, experts.get(i).dtype(name));
                    copied.add(new Copied(i, name, "experts." + i + "." + name));
                }
            }
        }
        return new FileMergePlan(merged, copied);
    }

    private static void requireFloat(Path file, String name, Dtype dtype) {
        if (!dtype.readable()) {
            throw new IllegalArgumentException("tensor '" + name + "' of " + file + " has dtype " + dtype
                    + "; a merge on files accepts only floating-point tensors (F32, F16, BF16, F64)");
        }
    }
}
