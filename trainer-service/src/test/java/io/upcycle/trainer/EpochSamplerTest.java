package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochSamplerTest {

    @Test
    void shouldVisitEveryExampleOncePerEpochInASeededOrder() {
        // given two samplers with the same seed and one with another
        EpochSampler a = new EpochSampler(10, 4, 5);
        EpochSampler b = new EpochSampler(10, 4, 5);
        EpochSampler c = new EpochSampler(10, 4, 6);
        // when two epochs are drawn
        List<EpochSampler.Batch> batches = new ArrayList<>();
        List<Integer> epoch0 = new ArrayList<>();
        List<Integer> fromC = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            EpochSampler.Batch batch = a.next();
            batches.add(batch);
            assertThat(b.next().exampleIds()).isEqualTo(batch.exampleIds());
            for (int id : c.next().exampleIds()) {
                fromC.add(id);
            }
            if (batch.epoch() == 0) {
                for (int id : batch.exampleIds()) {
                    epoch0.add(id);
                }
            }
        }
        // then batches are 4, 4, 2 per epoch, each epoch a permutation, and the seed matters
        assertThat(batches).extracting(batch -> batch.exampleIds().length).containsExactly(4, 4, 2, 4, 4, 2);
        assertThat(batches).extracting(EpochSampler.Batch::epoch).containsExactly(0, 0, 0, 1, 1, 1);
        assertThat(epoch0).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        List<Integer> fromA = batches.stream().flatMap(batch -> java.util.Arrays.stream(batch.exampleIds()).boxed()).toList();
        assertThat(fromC).isNotEqualTo(fromA);
    }
}
