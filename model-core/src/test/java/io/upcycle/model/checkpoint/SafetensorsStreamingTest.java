package io.upcycle.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsStreamingTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameBytesAsTheWholeWriterWhenChunksSpanTensors() throws IOException {
        // given three tensors of odd sizes, given out of name order
        Random random = new Random(3);
        Tensor b = Tensor.of("b", RandomTensors.gaussian(random, 7, 1f), 7);
        Tensor a = Tensor.of("a", RandomTensors.gaussian(random, 15, 1f), 3, 5);
        Tensor c = Tensor.of("c", RandomTensors.gaussian(random, 1, 1f));
        Map<String, String> metadata = Map.of("k", "v", "a", "z");
        Path whole = dir.resolve("whole.safetensors");
        Safetensors.write(whole, List.of(b, a, c), metadata);

        // when the same values go through the streaming writer in chunks of 4 in file order (a, b, c)
        Path streamed = dir.resolve("streamed.safetensors");
        float[] all = new float[23];
        System.arraycopy(a.data(), 0, all, 0, 15);
        System.arraycopy(b.data(), 0, all, 15, 7);
        System.arraycopy(c.data(), 0, all, 22, 1);
        try (SafetensorsWriter writer = SafetensorsWriter.open(streamed, List.of(new SafetensorsWriter.Spec("b", b.shape()),
                new SafetensorsWriter.Spec("a", a.shape()), new SafetensorsWriter.Spec("c", c.shape())), metadata)) {
            assertThat(writer.order()).extracting(SafetensorsWriter.Spec::name).containsExactly("a", "b", "c");
            for (int from = 0; from < all.length; from += 4) {
                int count = Math.min(4, all.length - from);
                writer.write(Arrays.copyOfRange(all, from, from + count), count);
            }
            writer.commit();
        }

        // then
        assertThat(Files.readAllBytes(streamed)).isEqualTo(Files.readAllBytes(whole));
    }

    @Test
    void shouldReadAnyRangeAsTheSameValuesAsTheWholeTensor() {
        // given
        Random random = new Random(5);
        Tensor t = Tensor.of("w", RandomTensors.gaussian(random, 101, 1f), 101);
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, List.of(t), Map.of());

        try (SafetensorsFile open = Safetensors.open(file)) {
            // when / then every range equals the slice of the whole read
            assertThat(open.elementCount("w")).isEqualTo(101);
            for (int from : new int[] {0, 1, 50, 100}) {
                for (int count : new int[] {0, 1, 101 - from}) {
                    float[] into = new float[count];
                    open.readRange("w", from, into, count);
                    assertThat(into).containsExactly(Arrays.copyOfRange(t.data(), from, from + count));
                }
            }
            assertThatThrownBy(() -> open.readRange("w", 100, new float[2], 2)).hasMessageContaining("outside its 101 values");
        }
    }

    @Test
    void shouldLeaveNoFileWhenClosedWithoutCommitAndRefuseACommitOfMissingValues() {
        // given
        Path file = dir.resolve("partial.safetensors");
        SafetensorsWriter writer = SafetensorsWriter.open(file, List.of(new SafetensorsWriter.Spec("w", new long[] {4})), Map.of());
        writer.write(new float[] {1, 2}, 2);

        // when / then
        assertThatThrownBy(writer::commit).hasMessageContaining("tensor 'w' has 2 of 4 values written");
        assertThatThrownBy(() -> writer.write(new float[3], 3)).hasMessageContaining("only 2 are left");
        writer.close();
        assertThat(file).doesNotExist();
        assertThat(dir.toFile().list()).isEmpty();
    }
}
