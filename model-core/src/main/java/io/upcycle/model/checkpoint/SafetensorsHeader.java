package io.upcycle.model.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parsed, validated header of a safetensors file. Validation follows the reference
 * implementation: header length within the file, JSON object, known dtypes, byte sizes matching
 * the shapes, and offsets that tile the data section exactly (no gaps, no overlaps, no tail).
 */
record SafetensorsHeader(long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    /** Same bound as the reference implementation: a larger header is treated as corrupt. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Where one tensor lives, relative to the start of the data section. */
    record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
    }

    static SafetensorsHeader read(Path path, FileChannel channel) {
        try {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw corrupt(path, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, path);
            long length = lengthBytes.flip().getLong();
            if (length <= 0 || length > MAX_HEADER_BYTES || 8 + length > fileSize) {
                throw corrupt(path, "header length " + Long.toUnsignedString(length) + " does not fit a file of " + fileSize + " bytes");
            }
            ByteBuffer json = ByteBuffer.allocate((int) length);
            readFully(channel, json, 8, path);
            if (json.get(0) != '{') {
                throw corrupt(path, "header does not start with '{'");
            }
            JsonNode root = parse(path, json.array());
            return validate(path, root, 8 + length, fileSize - 8 - length);
        } catch (IOException e) {
            throw new CheckpointException("cannot read the header of " + path + ": " + e.getMessage(), e);
        }
    }

    private static SafetensorsHeader validate(Path path, JsonNode root, long dataStart, long dataBytes) {
        Map<String, String> metadata = new TreeMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(Safetensors.METADATA_KEY)) {
                readMetadata(path, field.getValue(), metadata);
            } else {
                entries.add(entry(path, field.getKey(), field.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry entry : entries) {
            if (entry.begin() != expected) {
                throw corrupt(path, "tensor '" + entry.name() + "' starts at " + entry.begin() + ", expected " + expected
                        + " (offsets must tile the data without gaps or overlaps)");
            }
            expected = entry.end();
        }
        if (expected != dataBytes) {
            throw corrupt(path, "tensors cover " + expected + " bytes but the data section has " + dataBytes);
        }
        Map<String, Entry> byName = new TreeMap<>();
        entries.forEach(e -> byName.put(e.name(), e));
        return new SafetensorsHeader(dataStart, Collections.unmodifiableMap(byName), Collections.unmodifiableMap(metadata));
    }

    private static Entry entry(Path path, String name, JsonNode info) {
        if (!info.isObject() || !info.path("dtype").isTextual() || !info.path("shape").isArray()
                || !info.path("data_offsets").isArray() || info.path("data_offsets").size() != 2) {
            throw corrupt(path, "tensor '" + name + "' needs dtype, shape and two data_offsets");
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(info.get("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw corrupt(path, "tensor '" + name + "' has unknown dtype " + info.get("dtype").asText());
        }
        long[] shape = new long[info.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegative(path, name, "shape", info.get("shape").get(i));
        }
        long begin = nonNegative(path, name, "data_offsets", info.get("data_offsets").get(0));
        long end = nonNegative(path, name, "data_offsets", info.get("data_offsets").get(1));
        long bytes;
        try {
            bytes = Math.multiplyExact(Tensor.elementCount(shape), (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw corrupt(path, "tensor '" + name + "' has a shape too large to address");
        }
        if (end < begin || end - begin != bytes) {
            throw corrupt(path, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] but its "
                    + dtype + " shape needs " + bytes + " bytes");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> into) {
        if (!node.isObject()) {
            throw corrupt(path, Safetensors.METADATA_KEY + " is not an object");
        }
        node.fields().forEachRemaining(f -> {
            if (!f.getValue().isTextual()) {
                throw corrupt(path, Safetensors.METADATA_KEY + " value of '" + f.getKey() + "' is not a string");
            }
            into.put(f.getKey(), f.getValue().asText());
        });
    }

    private static long nonNegative(Path path, String name, String field, JsonNode value) {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw corrupt(path, "tensor '" + name + "' has an invalid " + field + " value " + value);
        }
        return value.asLong();
    }

    private static JsonNode parse(Path path, byte[] json) {
        try {
            JsonNode root = STRICT.readTree(json);
            if (root == null || !root.isObject()) {
                throw corrupt(path, "header is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw corrupt(path, "header is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw corrupt(path, "header is not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, Path path) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, position + into.position()) < 0) {
                throw corrupt(path, "file ends inside the header");
            }
        }
    }

    private static CheckpointException corrupt(Path path, String reason) {
        return new CheckpointException("corrupt safetensors file " + path + ": " + reason);
    }
}
