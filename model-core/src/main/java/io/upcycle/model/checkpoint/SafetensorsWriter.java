package io.upcycle.model.checkpoint;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a float32 safetensors file a chunk at a time, so that a merge never holds a whole output
 * tensor: the header is written first from the tensors' names and shapes, then the values of each
 * tensor in file order (names sorted, as {@link Safetensors#write} orders them), then
 * {@link #commit()} moves the temporary file into place atomically. The bytes equal those of
 * {@link Safetensors#write} for the same tensors and metadata. Closing without a commit deletes the
 * temporary file, so readers never see a partial file.
 */
public final class SafetensorsWriter implements AutoCloseable {
    /** A tensor to be written: its name and shape. */
    public record Spec(String name, long[] shape) {
    }

    private static final int CHUNK_FLOATS = 1 << 16;

    private final Path file;
    private final Path temp;
    private final FileChannel out;
    private final List<Spec> order;
    private final long[] counts;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private int current;
    private long written;
    private boolean committed;

    private SafetensorsWriter(Path file, Path temp, FileChannel out, List<Spec> order) {
        this.file = file;
        this.temp = temp;
        this.out = out;
        this.order = order;
        this.counts = order.stream().mapToLong(spec -> Tensor.elementCount(spec.shape())).toArray();
    }

    /** Opens a temporary file beside {@code file} and writes the header of {@code tensors} and {@code metadata}. */
    public static SafetensorsWriter open(Path file, Collection<Spec> tensors, Map<String, String> metadata) {
        List<Spec> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(Spec::name));
        Set<String> seen = new HashSet<>();
        for (Spec spec : sorted) {
            if (!seen.add(spec.name()) || spec.name().equals(Safetensors.METADATA_KEY) || spec.name().isEmpty()) {
                throw new CheckpointException("cannot write " + file + ": tensor name '" + spec.name() + "' is repeated, empty or reserved");
            }
        }
        byte[] header = header(sorted, metadata);
        Path temp = null;
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
            FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            SafetensorsWriter writer = new SafetensorsWriter(file, temp, out, List.copyOf(sorted));
            writer.writeFully(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip());
            writer.writeFully(ByteBuffer.wrap(header));
            return writer;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new CheckpointException("cannot write safetensors file " + file + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The tensors in the order their values must be written. */
    public List<Spec> order() {
        return order;
    }

    /** Appends {@code values[0..count)} to the tensors in file order; a chunk may span the end of one tensor. */
    public void write(float[] values, int count) {
        long left = 0;
        for (int i = current; i < counts.length; i++) {
            left += counts[i] - (i == current ? written : 0);
        }
        if (count > left) {
            throw new IllegalStateException("cannot write " + count + " more values to " + file + ": only " + left + " are left");
        }
        try {
            for (int start = 0; start < count; start += CHUNK_FLOATS) {
                int n = Math.min(CHUNK_FLOATS, count - start);
                buffer.clear();
                buffer.asFloatBuffer().put(values, start, n);
                buffer.limit(n * Float.BYTES);
                writeFully(buffer);
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot write safetensors file " + file + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
        written += count;
        while (current < counts.length && written >= counts[current]) {
            written -= counts[current];
            current++;
        }
    }

    /** Checks that every value was written, syncs and moves the file into place. */
    public void commit() {
        if (current < counts.length) {
            throw new IllegalStateException("cannot commit " + file + ": tensor '" + order.get(current).name() + "' has "
                    + written + " of " + counts[current] + " values written");
        }
        try {
            out.force(true);
            out.close();
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new CheckpointException("cannot write safetensors file " + file + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Releases the file; without a commit the temporary file is deleted. */
    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the temporary file is deleted below or was already moved into place
        }
        if (!committed) {
            deleteQuietly(temp);
        }
    }

    /** The header bytes (JSON plus space padding) for tensors of these shapes, already in file order. */
    static byte[] header(List<Spec> sorted, Map<String, String> metadata) {
        ObjectNode root = Safetensors.JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(Safetensors.METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Spec spec : sorted) {
            ObjectNode info = root.putObject(spec.name());
            info.put("dtype", Dtype.F32.name());
            ArrayNode shape = info.putArray("shape");
            for (long dim : spec.shape()) {
                shape.add(dim);
            }
            long end = offset + Tensor.elementCount(spec.shape()) * Float.BYTES;
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = Safetensors.JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: a leftover hidden .tmp file is harmless and never read
        }
    }
}
