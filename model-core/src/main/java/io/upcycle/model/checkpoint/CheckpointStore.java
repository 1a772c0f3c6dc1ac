package io.upcycle.model.checkpoint;

import io.upcycle.files.Sha256;
import io.upcycle.files.UpcycleHome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checkpoint store: a local folder of safetensors files, {@code <root>/<runId>/step-<step>.safetensors}.
 *
 * <p>Files are content-addressed: every save returns the file's sha256, the events carry it, and
 * readers open a checkpoint only through {@link #openVerified}, which refuses a file whose bytes
 * are not the ones the event announced. The default root is {@code ${upcycle.home}/checkpoints}.
 *
 * <p>Reads are confined: {@link #openVerified} opens only files under the store's readable roots
 * (its own root unless others are given), so an event cannot make a service read
 * {@code file:/etc/passwd} or climb out with {@code ../}; the sha256 of such an event proves
 * nothing, since the event names both the file and its hash.
 */
public final class CheckpointStore {
    /** Metadata keys every stored checkpoint carries. */
    public static final String META_RUN_ID = "upcycle.run_id";
    public static final String META_STEP = "upcycle.step";
    public static final String META_KIND = "upcycle.kind";
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final Path root;
    private final List<Path> readableRoots;

    /** A store at {@code root} that reads only under {@code root}. */
    public CheckpointStore(Path root) {
        this(root, List.of(root));
    }

    /** A store at {@code root} that reads only under {@code readableRoots} (which need not contain {@code root}). */
    public CheckpointStore(Path root, List<Path> readableRoots) {
        this.root = root.toAbsolutePath().normalize();
        if (readableRoots.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint store needs at least one readable root");
        }
        this.readableRoots = readableRoots.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }

    /** The store under {@code ${upcycle.home}/checkpoints} ({@code upcycle.home} defaults to {@code .upcycle}). */
    public static CheckpointStore atDefaultLocation() {
        return new CheckpointStore(home().resolve("checkpoints"));
    }

    /** Where the trainer caches pretrained bases: {@code ${upcycle.home}/cache/base}. */
    public static Path baseCache() {
        return baseCache(home());
    }

    /** Where the trainer caches pretrained bases under {@code home}. */
    public static Path baseCache(Path home) {
        return home.resolve("cache").resolve("base");
    }

    /** The upcycle home folder from the system property {@code upcycle.home} (default {@code .upcycle}). */
    public static Path home() {
        return UpcycleHome.resolve();
    }

    public Path root() {
        return root;
    }

    /** The folders under which {@link #openVerified} opens files. */
    public List<Path> readableRoots() {
        return readableRoots;
    }

    /**
     * Writes a checkpoint of {@code runId} at {@code step} (replacing one saved before at that step)
     * and returns where it lies and its hash. {@code kind} (e.g. FULL_WEIGHTS) and the run and step
     * are added to the file's metadata.
     */
    public StoredCheckpoint save(String runId, long step, String kind, Collection<Tensor> tensors, Map<String, String> metadata) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, was " + step);
        }
        Map<String, String> all = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
        all.put(META_RUN_ID, runId);
        all.put(META_STEP, Long.toString(step));
        all.put(META_KIND, kind);
        return saveAs(runId, "step-" + step + ".safetensors", tensors, all);
    }

    /**
     * Checks now, before any work, that checkpoints can be written under {@code <root>/<folder>}: creates
     * the folder and a probe file in it, then deletes the probe. Refuses with the path and the reason.
     */
    public Path requireWritable(String folder) {
        Path dir = root.resolve(segment("folder", folder));
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
            return dir;
        } catch (IOException e) {
            throw new CheckpointException("checkpoint folder " + dir + " is not writable (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); fix it (or choose another home) and run again", e);
        }
    }

    /** Writes {@code <root>/<folder>/<fileName>} (e.g. a merge's output) and returns its address. */
    public StoredCheckpoint saveAs(String folder, String fileName, Collection<Tensor> tensors, Map<String, String> metadata) {
        Path file = root.resolve(segment("folder", folder)).resolve(segment("file name", fileName));
        Safetensors.write(file, tensors, metadata);
        return describe(file);
    }

    /** URI, hash and size of a file already in place. */
    public static StoredCheckpoint describe(Path file) {
        try {
            return new StoredCheckpoint(file.toAbsolutePath().toUri().toString(), Sha256.of(file), Files.size(file), file);
        } catch (IOException e) {
            throw new CheckpointException("cannot describe checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the checkpoint at {@code uri} after checking that its sha256 is {@code expectedSha256};
     * refuses a missing file or a mismatch with a {@link CheckpointException} naming the file and
     * both hashes, and a file outside the {@link #readableRoots} naming the URI and the roots.
     */
    public SafetensorsFile openVerified(String uri, String expectedSha256) {
        if (expectedSha256 == null || expectedSha256.isBlank()) {
            throw new CheckpointException("refusing checkpoint " + uri + ": no expected sha256 was given");
        }
        Path file = confined(uri);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("checkpoint file " + file + " does not exist (uri " + uri + ")");
        }
        String actual = Sha256.of(file);
        if (!actual.equals(expectedSha256.toLowerCase(Locale.ROOT))) {
            throw new CheckpointException("checkpoint file " + file + " failed verification: expected sha256 "
                    + expectedSha256 + " but the file has " + actual);
        }
        return Safetensors.open(file);
    }

    /**
     * The local path of {@code uri} if it lies under a readable root, after resolving {@code ..} and
     * symbolic links; otherwise a {@link CheckpointException} naming the URI and the roots.
     */
    public Path confined(String uri) {
        Path file = toPath(uri).normalize();
        Path real = realPath(file);
        for (Path allowed : readableRoots) {
            if (real.startsWith(realPath(allowed))) {
                return file;
            }
        }
        throw new CheckpointException("refusing checkpoint uri " + uri + ": " + real + " is outside the readable roots "
                + readableRoots + " (a service reads checkpoints only under them)");
    }

    /** {@code path} with symbolic links resolved, as far as it exists; the rest is kept as written. */
    private static Path realPath(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path));
        } catch (IOException e) {
            return path;
        }
    }

    /** The local path of a {@code file:} URI (or a plain path). */
    public static Path toPath(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (parsed.getScheme() == null) {
                return Path.of(uri).toAbsolutePath();
            }
            if (!"file".equals(parsed.getScheme())) {
                throw new CheckpointException("checkpoint uri " + uri + " is not a file: URI; only the local store is supported");
            }
            return Path.of(parsed);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint uri " + uri + " is malformed: " + e.getMessage(), e);
        }
    }

    private static String segment(String what, String value) {
        if (value == null || !SAFE_SEGMENT.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException(what + " '" + value + "' must be one path segment of letters, digits, '.', '_' or '-'");
        }
        return value;
    }
}
