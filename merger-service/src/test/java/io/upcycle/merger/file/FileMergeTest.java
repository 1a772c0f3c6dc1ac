package io.upcycle.merger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.merger.TfEngineTest;
import io.upcycle.merger.file.FileMerge;
import io.upcycle.merger.file.FileMergeArgs;
import io.upcycle.merger.file.MergeFilesCommand;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.ReferenceMerge;
import io.upcycle.model.checkpoint.RandomTensors;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.files.Sha256;
import io.upcycle.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMergeTest extends TfEngineTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTiesOfTheBaseTensorsCopyExpertOnlyTensorsAndACard() throws IOException {
        // given a base with two tensors and two experts that also hold a head each
        Path base = write("base", Map.of("layer.weight", RandomTensors.gaussian(24, 1), "layer.bias", RandomTensors.gaussian(4, 2)), Map.of("layer.weight", new long[] {4, 6}));
        Path first = write("first", Map.of("layer.weight", RandomTensors.gaussian(24, 3), "layer.bias", RandomTensors.gaussian(4, 4), "head.weight", RandomTensors.gaussian(8, 5)),
                Map.of("layer.weight", new long[] {4, 6}, "head.weight", new long[] {2, 4}));
        Path second = write("second", Map.of("layer.weight", RandomTensors.gaussian(24, 6), "layer.bias", RandomTensors.gaussian(4, 7), "head.weight", RandomTensors.gaussian(8, 8)),
                Map.of("layer.weight", new long[] {4, 6}, "head.weight", new long[] {2, 4}));
        Path out = dir.resolve("out/merged.safetensors");

        // when
        FileMerge.Result result = FileMerge.run(new FileMergeArgs("ties", base, out, List.of(first, second), 0.8,
                OptionalDouble.of(0.5), 3L), MergeMethods.defaults(), manager, "cpu");

        // then every base tensor is base + 0.8 * TIES(tau1, tau2), as the plain-Java reference computes it
        try (SafetensorsFile merged = Safetensors.open(out); SafetensorsFile b = Safetensors.open(base);
             SafetensorsFile e1 = Safetensors.open(first); SafetensorsFile e2 = Safetensors.open(second)) {
            for (String name : List.of("layer.weight", "layer.bias")) {
                float[] baseValues = b.read(name).data();
                float[] delta = ReferenceMerge.signedDisjointMean(List.of(
                        ReferenceMerge.trim(ReferenceMerge.minus(e1.read(name).data(), baseValues), 0.5),
                        ReferenceMerge.trim(ReferenceMerge.minus(e2.read(name).data(), baseValues), 0.5)));
                float[] expected = new float[baseValues.length];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = baseValues[i] + 0.8f * delta[i];
                }
                assertThat(merged.read(name).data()).as(name).containsExactly(expected, Offset.offset(1e-5f));
                assertThat(merged.shape(name)).isEqualTo(b.shape(name));
            }
            // and the heads only the experts hold are copied under experts.<i>.
            assertThat(merged.read("experts.0.head.weight").data()).containsExactly(e1.read("head.weight").data());
            assertThat(merged.read("experts.1.head.weight").data()).containsExactly(e2.read("head.weight").data());
            assertThat(merged.names()).hasSize(4);
            assertThat(merged.metadata()).containsEntry("upcycle.method", "ties").containsEntry("upcycle.parameter.density", "0.5");
        }
        // and the card records method, parameters, seed, the inputs' hashes and timings
        assertThat(result.card()).isEqualTo(dir.resolve("out/merged.json"));
        JsonNode card = new ObjectMapper().readTree(Files.readString(result.card()));
        assertThat(card.path("method").asText()).isEqualTo("ties");
        assertThat(card.path("referenceUrl").asText()).isEqualTo("https://arxiv.org/abs/2306.01708");
        assertThat(card.path("parameters").path("lambda").asText()).isEqualTo("0.8");
        assertThat(card.path("parameters").path("density").asText()).isEqualTo("0.5");
        assertThat(card.path("seed").asLong()).isEqualTo(3L);
        assertThat(card.path("base").path("sha256").asText()).isEqualTo(Sha256.of(base));
        assertThat(card.path("experts").get(1).path("sha256").asText()).isEqualTo(Sha256.of(second));
        assertThat(card.path("output").path("sha256").asText()).isEqualTo(Sha256.of(out));
        assertThat(card.path("tensors").path("merged").asInt()).isEqualTo(2);
        assertThat(card.path("tensors").path("copied").asInt()).isEqualTo(2);
        assertThat(card.path("timings").has("mergeMillis")).isTrue();
    }

    @Test
    void shouldWriteTheSameFileTwiceForTheSameDareSeedAndAnotherForAnotherSeed() {
        // given
        Path base = write("base", Map.of("w", RandomTensors.gaussian(500, 1)), Map.of());
        Path first = write("first", Map.of("w", RandomTensors.gaussian(500, 2)), Map.of());
        Path second = write("second", Map.of("w", RandomTensors.gaussian(500, 3)), Map.of());

        // when
        String once = merge("dare_ties", base, List.of(first, second), 5L, "a.safetensors");
        String again = merge("dare_ties", base, List.of(first, second), 5L, "b.safetensors");
        String otherSeed = merge("dare_ties", base, List.of(first, second), 6L, "c.safetensors");

        // then
        assertThat(again).isEqualTo(once);
        assertThat(otherSeed).isNotEqualTo(once);
    }

    @Test
    void shouldRefuseAMissingTensorOrAShapeMismatchNamingTheFileTheTensorAndTheShapes() {
        // given
        Path base = write("base", Map.of("layer.weight", RandomTensors.gaussian(6, 1), "layer.bias", RandomTensors.gaussian(2, 2)), Map.of("layer.weight", new long[] {2, 3}));
        Path missing = write("missing", Map.of("layer.weight", RandomTensors.gaussian(6, 3)), Map.of("layer.weight", new long[] {2, 3}));
        Path reshaped = write("reshaped", Map.of("layer.weight", RandomTensors.gaussian(6, 4), "layer.bias", RandomTensors.gaussian(2, 5)), Map.of("layer.weight", new long[] {3, 2}));
        Path out = dir.resolve("never.safetensors");

        // when / then
        assertThatThrownBy(() -> FileMerge.run(new FileMergeArgs("ties", base, out, List.of(missing), 1.0, OptionalDouble.empty(), 0L),
                MergeMethods.defaults(), manager, "cpu"))
                .hasMessageContaining(missing.toString()).hasMessageContaining("'layer.bias'");
        assertThatThrownBy(() -> FileMerge.run(new FileMergeArgs("ties", base, out, List.of(reshaped), 1.0, OptionalDouble.empty(), 0L),
                MergeMethods.defaults(), manager, "cpu"))
                .hasMessageContaining(reshaped.toString()).hasMessageContaining("'layer.weight'")
                .hasMessageContaining("[3, 2]").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> FileMerge.run(new FileMergeArgs("task_arithmetic", base, out, List.of(reshaped), 1.0, OptionalDouble.of(0.5), 0L),
                MergeMethods.defaults(), manager, "cpu"))
                .hasMessageContaining("reads no density");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldRefuseANonFloatTensorOfTheBase() throws IOException {
        // given a hand-written safetensors file holding one I64 tensor
        Path base = dir.resolve("ints.safetensors");
        byte[] header = "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}".getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer bytes = ByteBuffer.allocate(8 + padded + 16).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(header);
        while (bytes.position() < 8 + padded) {
            bytes.put((byte) ' ');
        }
        bytes.putLong(1L).putLong(2L);
        Files.write(base, bytes.array());
        Path expert = write("expert", Map.of("w", RandomTensors.gaussian(2, 1)), Map.of());

        // when / then
        assertThatThrownBy(() -> FileMerge.run(new FileMergeArgs("average", base, dir.resolve("m.safetensors"), List.of(expert), 1.0,
                OptionalDouble.empty(), 0L), MergeMethods.defaults(), manager, "cpu"))
                .hasMessageContaining("'ids'").hasMessageContaining("I64").hasMessageContaining(base.toString());
    }

    @Test
    void shouldRunTheFileModeFromMainWhenMethodIsGiven() {
        // given
        Path base = write("base", Map.of("w", RandomTensors.gaussian(10, 1)), Map.of());
        Path expert = write("expert", Map.of("w", RandomTensors.gaussian(10, 2)), Map.of());
        Path out = dir.resolve("main.safetensors");

        // when
        MergeFilesCommand.commandLine().execute(new String[] {"--method", "task_arithmetic", "--base", base.toString(), "--out", out.toString(),
                "--lambda", "1.0", expert.toString()});

        // then with lambda 1 and one expert, task arithmetic gives back the expert
        try (SafetensorsFile merged = Safetensors.open(out); SafetensorsFile e = Safetensors.open(expert)) {
            assertThat(merged.read("w").data()).containsExactly(e.read("w").data(), Offset.offset(1e-6f));
        }
        assertThat(FileMerge.cardPath(out)).exists();
    }

    private String merge(String method, Path base, List<Path> experts, long seed, String name) {
        Path out = dir.resolve(name);
        return FileMerge.run(new FileMergeArgs(method, base, out, experts, 1.0, OptionalDouble.empty(), seed),
                MergeMethods.defaults(), manager, "cpu").outputSha256();
    }

    private Path write(String name, Map<String, float[]> tensors, Map<String, long[]> shapes) {
        List<Tensor> list = new ArrayList<>();
        tensors.forEach((tensor, data) -> list.add(new Tensor(tensor, shapes.getOrDefault(tensor, new long[] {data.length}), data)));
        Path file = dir.resolve(name + ".safetensors");
        Safetensors.write(file, list, Map.of());
        return file;
    }
}
