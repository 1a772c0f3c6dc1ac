package io.upcycle.merger.file;

import io.upcycle.merger.engine.AdapterSpaceMerge;
import io.upcycle.merger.method.TrimScope;
import io.upcycle.files.Sha256;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a merge on files is asked to do ({@link MergeFilesCommand} reads it from the command line,
 * {@link FileMergeYaml} from a YAML plan); {@code trimScope} is null unless given (the method's
 * default). {@code adapterSpace}: LoRA adapters merged as factors ({@link AdapterSpaceMerge});
 * method {@code moe_arrow} upcycles LoRA adapters into a mixture of experts instead ({@link MoeFileUpcycle}).
 */
public record FileMergeArgs(String method, Path base, Path out, List<Path> experts, double lambda,
                            OptionalDouble density, long seed, boolean adapterSpace, TrimScope trimScope) {
    public FileMergeArgs {
        experts = List.copyOf(experts);
        if (experts.isEmpty()) {
            throw new IllegalArgumentException("no expert files given: pass one or more EXPERT.safetensors after the options");
        }
    }

    /** Arguments with the method's default trim scope. */
    public FileMergeArgs(String method, Path base, Path out, List<Path> experts, double lambda, OptionalDouble density, long seed,
                         boolean adapterSpace) {
        this(method, base, out, experts, lambda, density, seed, adapterSpace, null);
    }

    /** A merge on the dense tensors (no {@code --adapter-space}). */
    public FileMergeArgs(String method, Path base, Path out, List<Path> experts, double lambda, OptionalDouble density, long seed) {
        this(method, base, out, experts, lambda, density, seed, false);
    }

    /** The sha256 of the base and of every expert file, by path, base first: what the card records. */
    public Map<Path, String> inputHashes() {
        Map<Path, String> hashes = new LinkedHashMap<>();
        hashes.put(base, Sha256.of(base));
        experts.forEach(expert -> hashes.put(expert, Sha256.of(expert)));
        return hashes;
    }
}
