package io.upcycle.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * An open safetensors file whose header has been validated; reads one tensor at a time so that
 * only the tensor being worked on is in memory. Close it to release the file.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final int CHUNK_BYTES = 1 << 20;
    /** One read buffer per thread: ranges are read with positional reads, so threads may read one file at once. */
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN));

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
    }

    static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot open checkpoint file " + path + ": " + e.getMessage(), e);
        }
        try {
            return new SafetensorsFile(path, channel, SafetensorsHeader.read(path, channel));
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The file this reads. */
    public Path path() {
        return path;
    }

    /** Tensor names in sorted order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(header.entries().keySet());
    }

    /** Whether the file holds a tensor of that name. */
    public boolean contains(String name) {
        return header.entries().containsKey(name);
    }

    /** The shape of a tensor, without reading its data. */
    public long[] shape(String name) {
        return entry(name).shape().clone();
    }

    /** The stored element type of a tensor. */
    public Dtype dtype(String name) {
        return entry(name).dtype();
    }

    /** The header's {@code __metadata__} strings (empty if absent). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Reads one tensor as float32 (F32 as is; F16, BF16 and F64 converted). */
    public Tensor read(String name) {
        SafetensorsHeader.Entry entry = entry(name);
        long count = Tensor.elementCount(entry.shape());
        if (count > Integer.MAX_VALUE - 8) {
            throw new CheckpointException("tensor '" + name + "' of " + path + " has " + count
                    + " values, more than one Java array holds");
        }
        float[] data = new float[(int) count];
        readRange(name, 0, data, data.length);
        return new Tensor(name, entry.shape().clone(), data);
    }

    /** How many values a tensor holds, without reading its data. */
    public long elementCount(String name) {
        return Tensor.elementCount(entry(name).shape());
    }

    /**
     * Reads values {@code [from, from + count)} of a tensor (row-major order) as float32 into
     * {@code into[0..count)}, with positional reads: a merge can stream a tensor in chunks without
     * holding it whole, and several threads may read one file at once. The same conversion as {@link #read}.
     */
    public void readRange(String name, long from, float[] into, int count) {
        SafetensorsHeader.Entry entry = entry(name);
        if (!entry.dtype().readable()) {
            throw new CheckpointException("cannot read tensor '" + name + "' of " + path + ": dtype "
                    + entry.dtype() + " is not a floating-point type this reader converts (F32, F16, BF16, F64)");
        }
        long total = Tensor.elementCount(entry.shape());
        if (from < 0 || count < 0 || count > into.length || from + count > total) {
            throw new IllegalArgumentException("range [" + from + ", " + (from + count) + ") of tensor '" + name + "' of "
                    + path + " is outside its " + total + " values (or larger than the buffer of " + into.length + ")");
        }
        int bytes = entry.dtype().bytes();
        ByteBuffer chunk = BUFFER.get();
        long position = header.dataStart() + entry.begin() + from * bytes;
        int filled = 0;
        try {
            while (filled < count) {
                int want = Math.min(chunk.capacity() / bytes, count - filled);
                chunk.clear().limit(want * bytes);
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk, position + chunk.position()) < 0) {
                        throw new CheckpointException("checkpoint file " + path + " ends inside tensor '" + name + "'");
                    }
                }
                position += chunk.position();
                chunk.flip();
                if (entry.dtype() == Dtype.F32) {
                    chunk.asFloatBuffer().get(into, filled, want);
                    filled += want;
                } else {
                    for (int i = 0; i < want; i++) {
                        into[filled++] = entry.dtype().toFloat(chunk);
                    }
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot read tensor '" + name + "' of " + path + ": " + e.getMessage(), e);
        }
    }

    private SafetensorsHeader.Entry entry(String name) {
        SafetensorsHeader.Entry entry = header.entries().get(name);
        if (entry == null) {
            throw new CheckpointException("checkpoint file " + path + " has no tensor '" + name + "'; it holds " + names());
        }
        return entry;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel cannot lose data
        }
    }
}
