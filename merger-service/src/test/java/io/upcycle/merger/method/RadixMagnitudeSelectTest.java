package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RadixMagnitudeSelectTest {

    @Test
    void shouldEqualQuickselectForEveryKOnTiesZerosNegativeZeroInfinitiesAndSubnormals() {
        // given adversarial values: repeated magnitudes of both signs, +0 and -0, infinities, subnormals, the largest float
        float[] values = {0f, -0f, 1f, -1f, 1f, 2.5f, -2.5f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, 3f, 3f, -3f, 1.0000001f, 0.99999994f};

        // when / then every k agrees with the existing quickselect
        for (int k = 0; k <= values.length; k++) {
            assertThat(RadixMagnitudeSelect.kthLargestMagnitude(values, k)).as("k = " + k)
                    .isEqualTo(MagnitudeThreshold.kthLargestMagnitude(values, k));
        }
        // and -0 is selected as +0
        assertThat(Float.floatToRawIntBits(RadixMagnitudeSelect.kthLargestMagnitude(values, values.length))).isZero();
    }

    @Test
    void shouldEqualQuickselectWhenThreadsCountSharesOfTheValuesInAnyOrder() {
        // given values with ties and zeros, cut into uneven shares counted by two "threads" each into counts of its own
        Random random = new Random(29);
        float[] values = new float[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(4) == 0 ? 0f : Math.round(random.nextGaussian() * 40) / 8f;
        }
        for (int k : new int[] {0, 1, 17, 2500, 4999, 5000}) {
            RadixMagnitudeSelect select = new RadixMagnitudeSelect("values", k);

            // when each pass is counted as shares [3000, 5000) then [0, 3000), by separate counts
            while (select.needsPass()) {
                long[] second = select.newCounts();
                long[] first = select.newCounts();
                select.count(Arrays.copyOfRange(values, 3000, 5000), 2000, second, 3000);
                select.count(values, 3000, first, 0);
                select.addCounts(second, 2000);
                select.addCounts(first, 3000);
                select.endPass();
            }

            // then
            assertThat(select.threshold()).as("k = " + k).isEqualTo(MagnitudeThreshold.kthLargestMagnitude(values, k));
        }
    }

    @Test
    void shouldNameTheIndexOfANaNCountedByAThread() {
        // given a share that starts at value 100 and holds a NaN at its third value
        RadixMagnitudeSelect select = new RadixMagnitudeSelect("task vector of expert 2", 1);
        float[] share = {1f, 2f, Float.NaN, 3f};

        // when / then
        assertThatThrownBy(() -> select.count(share, share.length, select.newCounts(), 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task vector of expert 2 holds NaN at index 102");
    }

    @Test
    void shouldEqualQuickselectOnRandomArraysFedInOddChunks() {
        // given
        Random random = new Random(17);
        for (int trial = 0; trial < 100; trial++) {
            int n = 1 + random.nextInt(2000);
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(5);
                values[i] = kind == 0 ? 0f : kind == 1 ? Math.round(random.nextGaussian() * 2) / 4f : (float) (random.nextGaussian() * 1e-3);
            }
            long k = random.nextInt(n + 1);
            int chunk = 1 + random.nextInt(97);

            // when fed chunk by chunk, twice
            RadixMagnitudeSelect select = new RadixMagnitudeSelect("trial " + trial, k);
            while (select.needsPass()) {
                for (int from = 0; from < n; from += chunk) {
                    int count = Math.min(chunk, n - from);
                    select.add(Arrays.copyOfRange(values, from, from + count), count);
                }
                select.endPass();
            }

            // then
            assertThat(select.threshold()).as("trial " + trial).isEqualTo(MagnitudeThreshold.kthLargestMagnitude(values, (int) k));
        }
    }

    @Test
    void shouldRefuseNaNNamingTheValuesAndTheIndexAsQuickselectDoes() {
        // given
        float[] values = {1f, 2f, Float.NaN, 3f};

        // when / then
        assertThatThrownBy(() -> RadixMagnitudeSelect.kthLargestMagnitude(values, 2)).hasMessageContaining("NaN at index 2");
        assertThatThrownBy(() -> MagnitudeThreshold.kthLargestMagnitude(values, 2)).hasMessageContaining("NaN at index 2");
        assertThatThrownBy(() -> Sparsification.MAGNITUDE.apply(values, 0.5, 0L, "layer.weight", 1))
                .hasMessageContaining("tensor 'layer.weight' of expert 1").hasMessageContaining("NaN");
    }

    @Test
    void shouldAnswerInfinityForKZeroWithoutAnyPassAndRefuseKAboveTheCount() {
        // given
        RadixMagnitudeSelect none = new RadixMagnitudeSelect("v", 0);
        RadixMagnitudeSelect tooMany = new RadixMagnitudeSelect("v", 5);

        // when
        tooMany.add(new float[] {1f, 2f}, 2);

        // then
        assertThat(none.needsPass()).isFalse();
        assertThat(none.threshold()).isEqualTo(Float.POSITIVE_INFINITY);
        assertThatThrownBy(tooMany::endPass).hasMessageContaining("k = 5 but v has only 2 values");
    }
}
