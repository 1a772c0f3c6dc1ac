package io.upcycle.model.embeddings;

import io.upcycle.files.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent sentence embeddings: {@code <root>/<encoder id>/<name>.emb}, one file per task,
 * holding for each text its sha256 and its vector. A text is encoded only if no vector for its
 * hash is stored, so later runs (and other services) reuse the work; changing the encoder's
 * weights changes its id and so the folder.
 *
 * <p>File layout (little-endian): magic {@code UPEMB001}, int dim, int count, then count records
 * of 32 hash bytes and dim float32s (~1.6 KB a text). Files are replaced atomically, and written
 * every {@link #SAVE_EVERY_NANOS} during a long job so that an interrupted run keeps its work.
 */
public final class EmbeddingCache {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
    private static final byte[] MAGIC = {'U', 'P', 'E', 'M', 'B', '0', '0', '1'};
    private static final int CHUNK = 256;
    static final long SAVE_EVERY_NANOS = 60_000_000_000L;

    private final Path folder;
    private final TextEncoder encoder;

    public EmbeddingCache(Path root, TextEncoder encoder) {
        this.folder = root.resolve(encoder.id());
        this.encoder = encoder;
    }

    /** The cache file of {@code name}. */
    public Path file(String name) {
        return folder.resolve(name + ".emb");
    }

    /** Vectors of {@code texts}, row-major {@code texts.size() x dim}; encodes only what is not stored. */
    public float[] embed(String name, List<String> texts) {
        int dim = encoder.dimension();
        Map<ByteBuffer, float[]> stored = read(file(name), dim);
        Map<ByteBuffer, String> missing = new LinkedHashMap<>();
        List<ByteBuffer> keys = new ArrayList<>(texts.size());
        for (String text : texts) {
            ByteBuffer key = ByteBuffer.wrap(Sha256.digestOf(text));
            keys.add(key);
            if (!stored.containsKey(key)) {
                missing.put(key, text);
            }
        }
        if (!missing.isEmpty()) {
            encodeMissing(name, missing, stored, dim);
        }
        float[] features = new float[texts.size() * dim];
        for (int i = 0; i < keys.size(); i++) {
            System.arraycopy(stored.get(keys.get(i)), 0, features, i * dim, dim);
        }
        return features;
    }

    private void encodeMissing(String name, Map<ByteBuffer, String> missing, Map<ByteBuffer, float[]> stored, int dim) {
        LOG.info("embedding {}: {} of its texts are not cached in {}; encoding them with {}",
                name, missing.size(), file(name), encoder.id());
        EmbeddingProgress progress = new EmbeddingProgress(LOG, name, missing.size());
        List<ByteBuffer> keys = new ArrayList<>(missing.keySet());
        long lastSave = System.nanoTime();
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<ByteBuffer> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            float[][] vectors = encoder.encode(chunk.stream().map(missing::get).toList());
            for (int i = 0; i < chunk.size(); i++) {
                if (vectors[i].length != dim) {
                    throw new IllegalStateException(encoder.id() + " returned " + vectors[i].length + " values, expected " + dim);
                }
                stored.put(chunk.get(i), vectors[i]);
            }
            progress.advance(chunk.size());
            if (System.nanoTime() - lastSave > SAVE_EVERY_NANOS) {
                write(file(name), stored, dim);
                lastSave = System.nanoTime();
            }
        }
        write(file(name), stored, dim);
    }

    private static Map<ByteBuffer, float[]> read(Path file, int dim) {
        Map<ByteBuffer, float[]> stored = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return stored;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            buffer.get(magic);
            int fileDim = buffer.getInt();
            int count = buffer.getInt();
            if (!Arrays.equals(magic, MAGIC) || fileDim != dim
                    || bytes.length != MAGIC.length + 8 + (long) count * (32 + 4L * dim)) {
                LOG.warn("ignoring unreadable embedding cache {} (bad header or size); it will be rebuilt", file);
                return stored;
            }
            for (int i = 0; i < count; i++) {
                byte[] hash = new byte[32];
                buffer.get(hash);
                float[] vector = new float[dim];
                buffer.asFloatBuffer().get(vector);
                buffer.position(buffer.position() + 4 * dim);
                stored.put(ByteBuffer.wrap(hash), vector);
            }
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedding cache " + file, e);
        }
    }

    private static void write(Path file, Map<ByteBuffer, float[]> stored, int dim) {
        try {
            Files.createDirectories(file.getParent());
            // not createTempFile: its owner-only permissions would hide the cache from other users' services
            Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 8 + stored.size() * (32 + 4 * dim)).order(ByteOrder.LITTLE_ENDIAN);
            buffer.put(MAGIC).putInt(dim).putInt(stored.size());
            for (Map.Entry<ByteBuffer, float[]> entry : stored.entrySet()) {
                buffer.put(entry.getKey().duplicate());
                for (float value : entry.getValue()) {
                    buffer.putFloat(value);
                }
            }
            buffer.flip();
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write embedding cache " + file, e);
        }
    }
}
