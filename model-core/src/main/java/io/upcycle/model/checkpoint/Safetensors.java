package io.upcycle.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * Writes and opens safetensors files, the format of Hugging Face's {@code safetensors} library,
 * so that checkpoints written here load in Python and vice versa.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON (padded with spaces so that the data starts 8-byte aligned) mapping each tensor name to
 * {@code {"dtype","shape","data_offsets":[begin,end]}} plus an optional {@code "__metadata__"}
 * map of strings; then the tensors' bytes, little endian, back to back, offsets relative to the
 * start of the data. This writer stores float32 ({@code F32}) in name order.
 */
public final class Safetensors {
    /** Key of the free-form string map in the header. */
    public static final String METADATA_KEY = "__metadata__";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_FLOATS = 1 << 18;

    private Safetensors() {
    }

    /**
     * Writes {@code tensors} as F32 to {@code file}, atomically: the bytes go to a temporary file
     * in the same folder, which then replaces {@code file}. Readers never see a partial file.
     */
    public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) {
        List<Tensor> sorted = sortedUnique(file, tensors);
        byte[] header = header(sorted, metadata);
        Path folder = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(out, length);
                writeFully(out, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor tensor : sorted) {
                    writeFloats(out, tensor.data(), chunk);
                }
                out.force(true);
            }
            moveIntoPlace(temp, file);
        } catch (IOException e) {
            throw new CheckpointException("cannot write safetensors file " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Opens {@code file} and validates its header; tensors are read one at a time on demand. */
    public static SafetensorsFile open(Path file) {
        return SafetensorsFile.open(file);
    }

    /** The header bytes (JSON plus space padding) for tensors already in file order. */
    static byte[] header(List<Tensor> sorted, Map<String, String> metadata) {
        return SafetensorsWriter.header(sorted.stream().map(t -> new SafetensorsWriter.Spec(t.name(), t.shape())).toList(), metadata);
    }

    private static List<Tensor> sortedUnique(Path file, Collection<Tensor> tensors) {
        List<Tensor> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(Tensor::name));
        Set<String> seen = new HashSet<>();
        for (Tensor tensor : sorted) {
            if (!seen.add(tensor.name())) {
                throw new CheckpointException("cannot write " + file + ": tensor '" + tensor.name() + "' appears twice");
            }
            if (tensor.name().equals(METADATA_KEY)) {
                throw new CheckpointException("cannot write " + file + ": '" + METADATA_KEY + "' is reserved");
            }
        }
        return sorted;
    }

    private static void writeFloats(FileChannel out, float[] data, ByteBuffer chunk) throws IOException {
        for (int start = 0; start < data.length; start += CHUNK_FLOATS) {
            int count = Math.min(CHUNK_FLOATS, data.length - start);
            chunk.clear();
            chunk.asFloatBuffer().put(data, start, count);
            chunk.limit(count * Float.BYTES);
            writeFully(out, chunk);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static void moveIntoPlace(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
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
