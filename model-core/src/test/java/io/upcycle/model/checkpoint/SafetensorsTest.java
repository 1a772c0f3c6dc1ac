package io.upcycle.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryTensorAndTheMetadataWhenRoundTripped() {
        // given
        Tensor weight = Tensor.of("trunk.0.weight", new float[] {1f, -2.5f, 3e-8f, Float.MAX_VALUE, -0f, 6f}, 2, 3);
        Tensor bias = Tensor.of("trunk.0.bias", new float[] {0.5f, Float.MIN_VALUE}, 2);
        Tensor scalar = Tensor.of("scale", new float[] {7f});
        Tensor empty = Tensor.of("empty", new float[0], 0, 4);
        Path file = dir.resolve("a.safetensors");

        // when
        Safetensors.write(file, List.of(weight, bias, scalar, empty), Map.of("task", "fortune-lang-8"));

        // then
        try (SafetensorsFile read = Safetensors.open(file)) {
            assertThat(read.names()).containsExactly("empty", "scale", "trunk.0.bias", "trunk.0.weight");
            assertThat(read.shape("trunk.0.weight")).containsExactly(2, 3);
            assertThat(read.metadata()).containsExactlyEntriesOf(Map.of("task", "fortune-lang-8"));
            assertThat(read.read("trunk.0.weight")).isEqualTo(weight);
            assertThat(read.read("trunk.0.bias")).isEqualTo(bias);
            assertThat(read.read("scale")).isEqualTo(scalar);
            assertThat(read.read("empty")).isEqualTo(empty);
        }
    }

    @Test
    void shouldWriteTheByteLayoutOfTheSafetensorsSpecWhenWriting() throws IOException {
        // given
        Tensor b = Tensor.of("b", new float[] {1f, 2f}, 2);
        Tensor a = Tensor.of("a", new float[] {-1f}, 1, 1);
        Path file = dir.resolve("layout.safetensors");

        // when
        Safetensors.write(file, List.of(b, a), Map.of("k", "v"));

        // then the header is 8-byte LE length + compact JSON (metadata first, names sorted) + space padding
        byte[] bytes = Files.readAllBytes(file);
        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(in.getLong()).isEqualTo(padded);
        assertThat(new String(bytes, 8, json.length(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(new String(bytes, 8 + json.length(), padded - json.length(), StandardCharsets.UTF_8)).isBlank();
        assertThat((8 + padded) % 8).isZero();
        // and the data follows in file order as little-endian float32: -1 (0xbf800000), 1, 2
        assertThat(Arrays.copyOfRange(bytes, 8 + padded, bytes.length)).containsExactly(
                0, 0, (byte) 0x80, (byte) 0xbf, 0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40);
    }

    @Test
    void shouldConvertHalfAndBfloatTensorsWhenReadingAFileWrittenElsewhere() throws IOException {
        // given a hand-made file as Python would write it: F16 [1, -2, 0.5] and BF16 [1.5]
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"z\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[6,8]}}";
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x3800).putShort((short) 0x3fc0);
        Path file = SafetensorsFiles.handMade(dir, json, data.array());

        // when
        try (SafetensorsFile read = Safetensors.open(file)) {
            // then
            assertThat(read.dtype("h")).isEqualTo(Dtype.F16);
            assertThat(read.read("h").data()).containsExactly(1f, -2f, 0.5f);
            assertThat(read.read("z").data()).containsExactly(1.5f);
        }
    }

    @Test
    void shouldRefuseAnIntegerTensorWithAClearMessageWhenReadAsFloat() throws IOException {
        // given
        String json = "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        Path file = SafetensorsFiles.handMade(dir, json, new byte[8]);

        // when / then the header is fine, reading the tensor is refused
        try (SafetensorsFile read = Safetensors.open(file)) {
            assertThatThrownBy(() -> read.read("ids"))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("ids").hasMessageContaining("I64").hasMessageContaining(file.toString());
        }
    }

    @Test
    void shouldRefuseDuplicateNamesWhenWriting() {
        // given
        Tensor one = Tensor.of("w", new float[] {1f}, 1);
        Tensor two = Tensor.of("w", new float[] {2f}, 1);

        // when / then
        assertThatThrownBy(() -> Safetensors.write(dir.resolve("d.safetensors"), List.of(one, two), Map.of()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("'w' appears twice");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldRefuseDataThatDoesNotMatchTheShapeWhenBuildingATensor() {
        assertThatThrownBy(() -> Tensor.of("w", new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w'").hasMessageContaining("[2, 3]");
    }
}
