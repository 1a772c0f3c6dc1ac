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
