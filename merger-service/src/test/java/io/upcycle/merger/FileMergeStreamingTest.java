package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.file.FileMerge;
import io.upcycle.merger.file.FileMergeArgs;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streamed merge on files writes the bytes that merging every tensor whole and writing them at once gives. */
class FileMergeStreamingTest extends TfEngineTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheBytesOfTheWholeTensorMergeForAnyChunkSize() throws IOException {
        // given tensors of odd sizes (5 x 7, 11, a scalar) and two experts, one with a head of 13 values
        Path base = write("base", List.of(tensor("a", 1, 5, 7), tensor("c", 2, 11), tensor("s", 3)));
        Path first = write("first", List.of(tensor("a", 4, 5, 7), tensor("c", 5, 11), tensor("s", 6), tensor("head", 7, 13)));
        Path second = write("second", List.of(tensor("a", 8, 5, 7), tensor("c", 9, 11), tensor("s", 10)));
        for (String methodName : MergeMethods.defaults().names()) {
            MergeMethod method = MergeMethods.defaults().get(methodName);
            boolean density = method.parameters().stream().anyMatch(p -> p.name().equals("density"));
            FileMergeArgs args = new FileMergeArgs(methodName, base, dir.resolve(methodName + "-default.safetensors"),
                    List.of(first, second), 0.9, density ? OptionalDouble.of(0.3) : OptionalDouble.empty(), 4L);
            Path whole = wholeMerge(method, FileMerge.run(args, MergeMethods.defaults(), manager, "cpu"), base, first, second);
            for (int chunk : new int[] {1, 3, 8, 35}) {
                // when
                Path out = dir.resolve(methodName + "-" + chunk + ".safetensors");
                FileMerge.run(new FileMergeArgs(methodName, base, out, args.experts(), args.lambda(), args.density(), args.seed()),
                        MergeMethods.defaults(), manager, "cpu", chunk);

                // then
                assertThat(Files.readAllBytes(out)).as(methodName + " chunk " + chunk).isEqualTo(Files.readAllBytes(whole));
                assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(args.out()));
            }
        }
    }

    /** The pre-streaming path: every tensor merged whole with MergeMethod.merge, all written at once with the same metadata. */
    private Path wholeMerge(MergeMethod method, FileMerge.Result streamed, Path base, Path first, Path second) {
        List<Tensor> output = new ArrayList<>();
        Map<String, String> metadata;
        try (SafetensorsFile b = Safetensors.open(base); SafetensorsFile e1 = Safetensors.open(first);
             SafetensorsFile e2 = Safetensors.open(second); SafetensorsFile merged = Safetensors.open(streamed.output())) {
            metadata = merged.metadata();
            for (String name : b.names()) {
                try (NDManager scope = manager.newSubManager()) {
                    Shape shape = new Shape(b.shape(name));
                    NDArray result = method.merge(name, scope.create(b.read(name).data(), shape),
                            List.of(scope.create(e1.read(name).data(), shape), scope.create(e2.read(name).data(), shape)),
                            streamed.parameters());
                    output.add(new Tensor(name, b.shape(name), result.toFloatArray()));
                }
            }
            output.add(e1.read("head").renamed("experts.0.head"));
        }
        Path whole = dir.resolve(method.name() + "-whole.safetensors");
        Safetensors.write(whole, output, metadata);
        return whole;
    }

    private Path write(String name, List<Tensor> tensors) {
        Path path = dir.resolve(name + ".safetensors");
        Safetensors.write(path, tensors, Map.of());
        return path;
    }

    private static Tensor tensor(String name, long seed, long... shape) {
        Random random = new Random(seed);
        float[] values = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(3) == 0 ? Math.round(random.nextGaussian() * 2) / 2f : (float) random.nextGaussian();
        }
        return new Tensor(name, shape, values);
    }
}
