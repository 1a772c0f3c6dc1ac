package io.upcycle.merger.plan;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The base a plan that names none merges against: the one its experts were trained from, as their
 * checkpoints say ({@link CheckpointMetadata#BASE_ID}, {@link CheckpointMetadata#BASE_SHA256}): the
 * file {@code <id>.safetensors} in one of the store's readable folders (by default the checkpoint
 * root and the trainer's base cache). A deployment (compose, a cluster) thus configures a plan by its runs
 * alone. The experts must agree; the base file is verified against the hash when the merge opens it.
 */
public final class ExpertsBase {
    private ExpertsBase() {
    }

    /** The base (file URI and sha256) of {@code experts}, looked up in {@code store}'s readable folders. */
    public static Base of(CheckpointStore store, List<ExpertCheckpoint> experts) {
        Base found = null;
        ExpertCheckpoint first = null;
        for (ExpertCheckpoint expert : experts) {
            Map<String, String> metadata;
            try (SafetensorsFile file = store.openVerified(expert.uri(), expert.sha256())) {
                metadata = file.metadata();
            }
            String id = metadata.get(CheckpointMetadata.BASE_ID);
            String sha256 = metadata.get(CheckpointMetadata.BASE_SHA256);
            if (id == null || sha256 == null || !id.matches("[A-Za-z0-9._-]+")) {
                throw new CheckpointException("the checkpoint of run " + expert.runId() + " (" + expert.uri() + ") names no base ("
                        + CheckpointMetadata.BASE_ID + ", " + CheckpointMetadata.BASE_SHA256 + "); give the plan plan.base.uri and"
                        + " plan.base.sha256");
            }
            Base base = new Base(locate(store, id, sha256, expert).toAbsolutePath().toUri().toString(), sha256);
            if (found != null && !found.equals(base)) {
                throw new CheckpointException("runs " + first.runId() + " and " + expert.runId() + " were trained from different bases ("
                        + found.sha256() + ", " + base.sha256() + "): a merge needs one base");
            }
            found = base;
            first = first == null ? expert : first;
        }
        if (found == null) {
            throw new IllegalArgumentException("no experts to find a base from");
        }
        return found;
    }

    private static Path locate(CheckpointStore store, String id, String sha256, ExpertCheckpoint expert) {
        for (Path folder : store.readableRoots()) {
            Path file = folder.resolve(id + ".safetensors");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new CheckpointException("the base of run " + expert.runId() + ", " + id + ".safetensors (sha256 " + sha256
                + "), is in none of " + store.readableRoots() + "; give the plan plan.base.uri and plan.base.sha256");
    }

    /** A base checkpoint: its file URI and sha256. */
    public record Base(String uri, String sha256) {
    }
}
