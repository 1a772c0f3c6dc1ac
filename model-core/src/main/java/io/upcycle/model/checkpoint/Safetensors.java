package io.upcycle.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private Safetensors() {
    }

    /**
     * Writes {@code tensors} as F32 to {@code file}, atomically: the bytes go to a temporary file
     * in the same folder, which then replaces {@code file}. Readers never see a partial file.
     */
    public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) {
        Map<String, Tensor> byName = new HashMap<>();
        for (Tensor tensor : tensors) {
            if (byName.put(tensor.name(), tensor) != null) {
                throw new CheckpointException("cannot write " + file + ": tensor '" + tensor.name() + "' appears twice");
            }
        }
        List<SafetensorsWriter.Spec> specs = tensors.stream().map(t -> new SafetensorsWriter.Spec(t.name(), t.shape())).toList();
        try (SafetensorsWriter writer = SafetensorsWriter.open(file, specs, metadata)) {
            for (SafetensorsWriter.Spec spec : writer.order()) {
                float[] data = byName.get(spec.name()).data();
                writer.write(data, data.length);
            }
            writer.commit();
        }
    }

    /** Opens {@code file} and validates its header; tensors are read one at a time on demand. */
    public static SafetensorsFile open(Path file) {
        return SafetensorsFile.open(file);
    }

}
