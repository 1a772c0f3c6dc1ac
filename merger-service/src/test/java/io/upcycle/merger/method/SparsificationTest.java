package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SparsificationTest {

    @Test
    void shouldKeepTheTopFractionByMagnitudeWhenPruningByMagnitude() {
        // given 10 values, density 0.3 keeps floor(3) = the three largest magnitudes: -9, 7, 5
        float[] tau = {1f, -9f, 2f, 7f, -0.5f, 5f, -3f, 0f, 4f, -1f};

        // when
        float[] kept = Sparsification.magnitude(tau, 0.3);

        // then
        assertThat(kept).containsExactly(0f, -9f, 0f, 7f, 0f, 5f, 0f, 0f, 0f, 0f);
        assertThat(tau[0]).isEqualTo(1f);
    }

    @Test
    void shouldBeTheIdentityWhenDensityIsOne() {
        // given
        float[] tau = {1f, -9f, 0f, 7f, -0.5f};

        // when / then
        assertThat(Sparsification.magnitude(tau, 1.0)).containsExactly(tau);
        assertThat(Sparsification.random(tau, 1.0, 42L)).containsExactly(tau);
        assertThat(Sparsification.NONE.apply(tau, 0.1, 42L, "w", 0)).containsExactly(tau);
    }

    @Test
    void shouldDropOrRescaleEveryEntryWhenPruningAtRandom() {
        // given
        float[] tau = {2f, -4f, 6f, -8f, 10f, 1f, 3f, 5f};

        // when
        float[] kept = Sparsification.random(tau, 0.25, 5L);

        // then each entry is 0 or tau / 0.25
        for (int i = 0; i < tau.length; i++) {
            assertThat(kept[i]).isIn(0f, tau[i] * 4f);
        }
    }

    @Test
    void shouldKeepTheExpectedMassWhenAveragedOverManySeeds() {
        // given
        Random random = new Random(3);
        float[] tau = new float[64];
        for (int i = 0; i < tau.length; i++) {
            tau[i] = (float) random.nextGaussian();
        }
        int seeds = 4000;
        double[] mean = new double[tau.length];

        // when
        for (long seed = 0; seed < seeds; seed++) {
            float[] kept = Sparsification.RANDOM.apply(tau, 0.2, seed, "w", 0);
            for (int i = 0; i < tau.length; i++) {
                mean[i] += kept[i] / (double) seeds;
            }
        }

        // then the mean of each entry is within 5 standard errors, sd = |tau| * sqrt((1 - p) / p) / sqrt(seeds),
        // and the total mass within 5 standard errors of the total
        double total = 0;
        double expectedTotal = 0;
        double variance = 0;
        for (int i = 0; i < tau.length; i++) {
            total += mean[i];
            expectedTotal += tau[i];
            variance += tau[i] * tau[i] * (0.8 / 0.2) / seeds;
            double tolerance = 5 * Math.abs(tau[i]) * Math.sqrt(0.8 / 0.2) / Math.sqrt(seeds) + 1e-6;
            assertThat(mean[i]).isCloseTo(tau[i], Offset.offset(tolerance));
        }
        assertThat(total).isCloseTo(expectedTotal, Offset.offset(5 * Math.sqrt(variance)));
    }

    @Test
    void shouldDrawTheSameMaskForTheSameSeedTensorAndExpertOnly() {
        // given
        float[] tau = new float[200];
        java.util.Arrays.fill(tau, 1f);

        // when
        float[] first = Sparsification.RANDOM.apply(tau, 0.5, 9L, "trunk.0.weight", 1);
        float[] again = Sparsification.RANDOM.apply(tau, 0.5, 9L, "trunk.0.weight", 1);
        float[] otherExpert = Sparsification.RANDOM.apply(tau, 0.5, 9L, "trunk.0.weight", 0);
        float[] otherTensor = Sparsification.RANDOM.apply(tau, 0.5, 9L, "trunk.1.weight", 1);
        float[] otherSeed = Sparsification.RANDOM.apply(tau, 0.5, 10L, "trunk.0.weight", 1);

        // then
        assertThat(again).containsExactly(first);
        assertThat(otherExpert).isNotEqualTo(first);
        assertThat(otherTensor).isNotEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }
}
