package io.upcycle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraAdapterTest {
    private static final int IN = ExpertLayout.INPUT_DIM;
    private static final int HIDDEN = ExpertLayout.HIDDEN_DIM;

    @TempDir
    Path dir;

    @Test
    void shouldAddTheScaledLowRankProductToTheTargetWeightOnlyWhenMerging() {
        // given r=2, alpha=4 (scale 2) on trunk.0 with A = rows e_5 and 3 e_7, B with B[1,0]=0.5 and B[9,1]=-1
        float[] a = new float[2 * IN];
        a[5] = 1f;
        a[IN + 7] = 3f;
        float[] b = new float[HIDDEN * 2];
        b[2] = 0.5f;
        b[9 * 2 + 1] = -1f;
        LoraAdapter adapter = new LoraAdapter(2, 4f, List.of(LoraLayout.TRUNK0), "sha", Map.of(LoraLayout.TRUNK0,
                Tensor.of("a", a, 2, IN)), Map.of(LoraLayout.TRUNK0, Tensor.of("b", b, HIDDEN, 2)),
                Tensor.of("hw", new float[3 * HIDDEN], 3, HIDDEN), Tensor.of("hb", new float[] {1, 2, 3}, 3));
        float[] w = new float[HIDDEN * IN];
        w[1 * IN + 5] = 10f;
        List<Tensor> base = List.of(Tensor.of(ExpertLayout.TRUNK0_WEIGHT, w, HIDDEN, IN),
                Tensor.of(ExpertLayout.TRUNK1_WEIGHT, new float[HIDDEN * HIDDEN], HIDDEN, HIDDEN));
        // when
        List<Tensor> merged = adapter.mergeInto(base);
        // then W[1,5] = 10 + 2 * 0.5 * 1, W[9,7] = 2 * (-1) * 3, nothing else moved; the head is the adapter's
        float[] m = merged.get(0).data();
        assertThat(m[1 * IN + 5]).isEqualTo(11f);
        assertThat(m[9 * IN + 7]).isEqualTo(-6f);
        long nonZero = 0;
        for (float v : m) {
            nonZero += v != 0 ? 1 : 0;
        }
        assertThat(nonZero).isEqualTo(2);
        assertThat(merged.get(1)).isSameAs(base.get(1));
        assertThat(merged).extracting(Tensor::name).containsExactly(ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK1_WEIGHT,
                ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS);
        assertThat(merged.get(3).data()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldRefuseAFileThatIsNotALoraAdapter() {
        // given a full-weights style file
        Path file = dir.resolve("full.safetensors");
        Safetensors.write(file, List.of(Tensor.of(ExpertLayout.HEAD_BIAS, new float[] {0}, 1)), Map.of());
        // when / then
        try (SafetensorsFile read = Safetensors.open(file)) {
            assertThatThrownBy(() -> LoraAdapter.read(read)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a LoRA adapter");
        }
    }

    @Test
    void shouldNameTheTensorWhenAFactorHasTheWrongShape() {
        // when / then
        assertThatThrownBy(() -> new LoraAdapter(2, 4f, List.of(LoraLayout.TRUNK1), "", Map.of(LoraLayout.TRUNK1,
                Tensor.of("a", new float[2 * IN], 2, IN)), Map.of(LoraLayout.TRUNK1, Tensor.of("b", new float[HIDDEN * 2], HIDDEN, 2)),
                Tensor.of("hw", new float[HIDDEN], 1, HIDDEN), Tensor.of("hb", new float[1], 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base_model.model.trunk.1.lora_A.weight").hasMessageContaining("[2, 384]");
    }
}
