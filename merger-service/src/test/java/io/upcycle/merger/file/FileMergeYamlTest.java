package io.upcycle.merger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.TfEngineTest;
import io.upcycle.merger.file.FileMerge;
import io.upcycle.merger.file.FileMergeYaml;
import io.upcycle.merger.file.MergeFilesCommand;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.model.checkpoint.RandomTensors;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMergeYamlTest extends TfEngineTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameBytesFromAYamlPlanAsFromTheFlags() throws IOException {
        // given a base, two experts (one with a head) and a plan naming them relative to its folder
        Path base = write("base", Map.of("w", RandomTensors.gaussian(30, 1), "b", RandomTensors.gaussian(3, 2)));
        Path first = write("first", Map.of("w", RandomTensors.gaussian(30, 3), "b", RandomTensors.gaussian(3, 4), "head", RandomTensors.gaussian(5, 5)));
        Path second = write("second", Map.of("w", RandomTensors.gaussian(30, 6), "b", RandomTensors.gaussian(3, 7)));
        for (String method : List.of("dare_ties", "ties", "task_arithmetic")) {
            String density = method.equals("task_arithmetic") ? "" : "\n  density: 0.4";
            String scope = method.equals("ties") ? "\n  trim_scope: global" : "";
            Path plan = dir.resolve(method + ".yaml");
            Files.writeString(plan, """
                    # a mergekit-like plan
                    merge_method: %s
                    base_model: base.safetensors
                    models:
                      - model: first.safetensors
                      - model: second.safetensors
                    parameters:
                      lambda: 0.7%s%s
                    seed: 11
                    out: yaml-%s.safetensors
                    """.formatted(method, density, scope, method));
            String[] flags = {"--method", method, "--base", base.toString(), "--out", dir.resolve("flags-" + method + ".safetensors").toString(),
                    "--lambda", "0.7", "--seed", "11", first.toString(), second.toString()};
            if (!density.isEmpty()) {
                flags = concat(flags, "--density", "0.4");
            }
            if (!scope.isEmpty()) {
                flags = concat(flags, "--trim-scope", "global");
            }

            // when
            FileMerge.Result fromYaml = FileMerge.run(MergeFilesCommand.parse(new String[] {"--config", plan.toString()}),
                    MergeMethods.defaults(), manager, "cpu");
            FileMerge.Result fromFlags = FileMerge.run(MergeFilesCommand.parse(flags), MergeMethods.defaults(), manager, "cpu");

            // then
            assertThat(fromYaml.output()).isEqualTo(dir.resolve("yaml-" + method + ".safetensors"));
            assertThat(Files.readAllBytes(fromYaml.output())).as(method).isEqualTo(Files.readAllBytes(fromFlags.output()));
            assertThat(fromYaml.parameters()).isEqualTo(fromFlags.parameters());
            if (!scope.isEmpty()) {
                assertThat(fromYaml.parameters().extra()).containsEntry("trim_scope", "global");
            }
        }
    }

    @Test
    void shouldRefuseBadPlansNamingTheFileTheLineAndTheKey() {
        String good = "merge_method: ties\nbase_model: b.safetensors\nmodels:\n  - model: e.safetensors\nout: m.safetensors\n";
        assertRefused(good + "dtype: float16\n", "line 6: unknown key 'dtype' in the plan; known keys: [adapter_space, base_model, merge_method, models, out, parameters, seed]");
        assertRefused(good + "parameters:\n  lambda: 1\n  lamda: 2\n", "line 8: unknown key 'lamda' in parameters");
        assertRefused(good + "parameters:\n  lambda: high\n", "line 7: parameters.lambda must be a number, was 'high'");
        assertRefused(good + "seed: 1.5\n", "line 6: seed must be an integer, was '1.5'");
        assertRefused(good + "parameters:\n  trim_scope: everything\n",
                "line 7: parameters.trim_scope must be 'tensor' or 'global', was 'everything'");
        assertRefused(good.replace("ties", "dare_ties") + "parameters:\n  trim_scope: global\n",
                "line 7: parameters.trim_scope: method 'dare_ties' does not trim by magnitude");
        assertRefused(good + "out: n.safetensors\n", "line 6: key 'out' appears twice in the plan");
        assertRefused(good.replace("ties", "tie"), "line 1: merge_method: unknown merge method 'tie'; known methods: [average, task_arithmetic, ties, dare_linear, dare_ties]");
        assertRefused(good.replace("ties", "task_arithmetic") + "parameters:\n  density: 0.5\n",
                "line 7: parameters.density: method 'task_arithmetic' reads no density");
        assertRefused(good.replace("  - model: e.safetensors\n", "  - model: e.safetensors\n    parameters:\n      weight: 0.5\n"),
                "line 6: models[0].parameters.weight: method 'ties' takes no per-model weight");
        assertRefused(good.replace("  - model: e.safetensors\n", "  - model: e.safetensors\n    density: 0.5\n"),
                "line 5: unknown key 'density' in models[0]; known keys: [model, parameters]");
        assertRefused(good.replace("  - model: e.safetensors\n", "  - e.safetensors\n"), "line 4: models[0] must be a mapping");
        assertRefused(good.replace("models:\n  - model: e.safetensors\n", "models: []\n"), "line 3: models must be a non-empty list");
        assertRefused(good.replace("out: m.safetensors\n", "out:\n"), "line 5: out needs a value");
        assertRefused(good.replace("out: m.safetensors\n", ""), "line 1: missing key 'out'");
        assertRefused(good + "parameters: [1, 2\n", "line 7: not valid YAML");
        assertRefused("", "is empty; it needs merge_method, base_model, models and out");
    }

    @Test
    void shouldRefuseConfigTogetherWithOtherOptionsOrExperts() {
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--config", "p.yaml", "--method", "ties"}))
                .hasMessageContaining("--config takes the whole merge from the plan file; remove [--method]");
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--config", "p.yaml", "e.safetensors"}))
                .hasMessageContaining("remove [e.safetensors]");
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--config", dir.resolve("none.yaml").toString()}))
                .hasMessageContaining("cannot read merge plan");
        assertThat(FileMergeYaml.HELP).contains("merge_method").contains("base_model").contains("models:").contains("out:");
    }

    private void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> FileMergeYaml.parse(yaml, "plan.yaml", dir, MergeMethods.defaults()))
                .as(yaml).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("merge plan plan.yaml").hasMessageContaining(message);
    }

    private Path write(String name, Map<String, float[]> tensors) {
        Path path = dir.resolve(name + ".safetensors");
        Safetensors.write(path, tensors.entrySet().stream().map(e -> Tensor.of(e.getKey(), e.getValue(), e.getValue().length)).toList(), Map.of());
        return path;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
