package io.upcycle.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptSafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseATruncatedFileNamingFileAndReason() throws IOException {
        // given a valid file cut in the middle of its data
        Path file = dir.resolve("cut.safetensors");
        Safetensors.write(file, List.of(Tensor.of("w", new float[] {1f, 2f, 3f}, 3)), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 4));

        // when / then
        assertThatThrownBy(() -> Safetensors.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("data section has 8");
    }

    @Test
    void shouldRefuseAHeaderLengthBeyondTheFile() throws IOException {
        // given
        Path file = dir.resolve("long.safetensors");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000).array());

        // when / then
        assertThatThrownBy(() -> Safetensors.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("header length 1000");
    }

    @Test
    void shouldRefuseAHeaderThatIsNotJson() throws IOException {
        // given
        Path file = SafetensorsFiles.handMade(dir, "{\"w\":{\"dtype\":", new byte[0]);

        // when / then
        assertThatThrownBy(() -> Safetensors.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not valid JSON");
    }

    @Test
    void shouldRefuseOverlappingOffsets() throws IOException {
        // given two tensors sharing bytes 0..4
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path file = SafetensorsFiles.handMade(dir, json, new byte[8]);

        // when / then
        assertThatThrownBy(() -> Safetensors.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("starts at 0, expected 4");
    }

    @Test
    void shouldRefuseOffsetsThatDoNotMatchTheShape() throws IOException {
        // given a [2] F32 tensor that claims 4 bytes
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        Path file = SafetensorsFiles.handMade(dir, json, new byte[4]);

        // when / then
        assertThatThrownBy(() -> Safetensors.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("needs 8 bytes");
    }

    @Test
    void shouldRefuseAnUnknownDtype() throws IOException {
        // given
        String json = "{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}";
        Path file = SafetensorsFiles.handMade(dir, json, new byte[16]);

        // when / then
        assertThatThrownBy(() -> Safetensors.open(file))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("unknown dtype F128");
    }
}
