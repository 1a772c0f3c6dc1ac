package io.upcycle.merger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.RandomAdapters;
import io.upcycle.merger.engine.AdapterSpaceMerge;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class AdapterSpaceMergeTest {
    private static final String BASE = "a".repeat(64);

    private static List<LoraAdapter> threeAdapters() {
        return List.of(RandomAdapters.adapter(1, 2, 4f, LoraLayout.TARGETS, BASE, 2),
                RandomAdapters.adapter(2, 3, 1.5f, LoraLayout.TARGETS, BASE, 3),
                RandomAdapters.adapter(3, 5, 16f, LoraLayout.TARGETS, BASE, 2));
    }

    @Test
    void shouldEqualLambdaTimesTheSumOfDenseUpdatesWhenRanksAndAlphasDiffer() {
        // given adapters of ranks 2, 3, 5 and alphas 4, 1.5, 16
        List<LoraAdapter> adapters = threeAdapters();

        // when
        LoraAdapter merged = AdapterSpaceMerge.merge("task_arithmetic", 0.7, adapters);

        // then one adapter of rank 10 with alpha/r = 1 whose update is 0.7 * sum of the dense updates
        assertThat(merged.rank()).isEqualTo(10);
        assertThat(merged.alpha()).isEqualTo(10f);
        assertThat(merged.scale()).isEqualTo(1f);
        assertThat(merged.baseSha256()).isEqualTo(BASE);
        assertThat(merged.targets()).isEqualTo(LoraLayout.TARGETS);
        for (String target : LoraLayout.TARGETS) {
            double[] actual = RandomAdapters.delta(merged, target);
            double[] expected = new double[actual.length];
            for (LoraAdapter adapter : adapters) {
                double[] delta = RandomAdapters.delta(adapter, target);
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += 0.7 * delta[i];
                }
            }
            assertThat(actual).as(target).containsExactly(expected, Offset.offset(1e-5));
        }
        // and the head slot holds the first adapter's head
        assertThat(merged.headWeight().data()).containsExactly(adapters.get(0).headWeight().data());
    }

    @Test
    void shouldAverageAsTaskArithmeticWithOneOverNWhateverLambdaIsGiven() {
        // given
        List<LoraAdapter> adapters = threeAdapters();

        // when
        LoraAdapter average = AdapterSpaceMerge.merge("average", 5.0, adapters);
        LoraAdapter third = AdapterSpaceMerge.merge("task_arithmetic", 1.0 / 3, adapters);

        // then
        assertThat(AdapterSpaceMerge.effectiveLambda("average", 5.0, 3)).isEqualTo(1.0 / 3);
        for (String target : LoraLayout.TARGETS) {
            assertThat(average.a().get(target).data()).containsExactly(third.a().get(target).data());
            assertThat(average.b().get(target).data()).containsExactly(third.b().get(target).data());
        }
    }

    @Test
    void shouldRefuseTiesAndDareBecauseTheyActOnDenseEntries() {
        for (String method : List.of("ties", "dare_linear", "dare_ties")) {
            // when / then
            assertThatThrownBy(() -> AdapterSpaceMerge.merge(method, 1.0, threeAdapters()))
                    .as(method).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("method '" + method + "' cannot merge LoRA adapters in adapter space")
                    .hasMessageContaining("act on the entries of each dense ΔW = (α/r)·B·A")
                    .hasMessageContaining("no counterpart on the factors A and B")
                    .hasMessageContaining("[average, task_arithmetic]")
                    .hasMessageContaining("without --adapter-space");
        }
    }

    @Test
    void shouldRefuseAdaptersOfDifferentBasesOrTargetsNamingBoth() {
        // given
        LoraAdapter first = RandomAdapters.adapter(1, 2, 4f, LoraLayout.TARGETS, BASE, 2);
        LoraAdapter otherBase = RandomAdapters.adapter(2, 2, 4f, LoraLayout.TARGETS, "b".repeat(64), 2);
        LoraAdapter oneTarget = RandomAdapters.adapter(3, 2, 4f, List.of(LoraLayout.TRUNK1), BASE, 2);

        // when / then
        assertThatThrownBy(() -> AdapterSpaceMerge.merge("task_arithmetic", 1.0, List.of(first, otherBase)))
                .hasMessageContaining("LoRA adapter 1 belongs to the base with sha256 '" + "b".repeat(64) + "'")
                .hasMessageContaining("adapter 0 to '" + BASE + "'").hasMessageContaining("different bases");
        assertThatThrownBy(() -> AdapterSpaceMerge.merge("task_arithmetic", 1.0, List.of(first, oneTarget)))
                .hasMessageContaining("LoRA adapter 1 targets [trunk.1] but adapter 0 targets [trunk.0, trunk.1]")
                .hasMessageContaining("same target layers");
        assertThatThrownBy(() -> AdapterSpaceMerge.merge("task_arithmetic", 1.0, List.of()))
                .hasMessageContaining("no LoRA adapters");
    }
}
