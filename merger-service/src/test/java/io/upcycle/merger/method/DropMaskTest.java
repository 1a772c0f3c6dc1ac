package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropMaskTest {

    @Test
    void shouldDrawWhatSplittableRandomDrawsInOrderAtAnyIndex() {
        // given
        for (long seed : new long[] {0L, 42L, -7L, Long.MAX_VALUE}) {
            SplittableRandom random = new SplittableRandom(seed);
            DropMask mask = new DropMask(seed, 0.3);

            // when / then draw i is the (i+1)-th nextDouble()
            for (int i = 0; i < 10_000; i++) {
                assertThat(mask.draw(i)).as("seed %d draw %d", seed, i).isEqualTo(random.nextDouble());
            }
        }
    }

    @Test
    void shouldThinAnyRangeAsTheWholeVectorThinsIt() {
        // given a vector and its thinning whole
        float[] tau = new float[1000];
        for (int i = 0; i < tau.length; i++) {
            tau[i] = (i % 7) - 3f + 0.125f * i;
        }
        DropMask mask = new DropMask(11L, 0.25);
        float[] whole = new float[tau.length];
        mask.thin(tau, 0, tau.length, whole);

        // when the range [333, 777) is thinned on its own, in place
        float[] range = java.util.Arrays.copyOfRange(tau, 333, 777);
        mask.thin(range, 333, range.length, range);

        // then it equals the same values of the whole, each 0 or tau / density
        assertThat(range).containsExactly(java.util.Arrays.copyOfRange(whole, 333, 777));
        for (int i = 0; i < tau.length; i++) {
            assertThat(whole[i]).isIn(0f, (float) (tau[i] / 0.25));
            assertThat(whole[i] != 0f || tau[i] == 0f).isEqualTo(mask.keeps(i) || tau[i] == 0f);
        }
    }

    @Test
    void shouldDropEverythingAtDensityZeroAndRefuseADensityOutsideZeroToOne() {
        // given
        float[] tau = {1f, -2f, 3f};

        // when
        new DropMask(5L, 0).thin(tau, 0, 3, tau);

        // then
        assertThat(tau).containsExactly(0f, 0f, 0f);
        assertThatThrownBy(() -> new DropMask(5L, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("density must be in [0, 1], was 1.5");
    }
}
