package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MagnitudeThresholdTest {

    @Test
    void shouldFindTheKthLargestMagnitudeOfAHandPickedArray() {
        // given magnitudes 3, 1, 4, 1, 5, 9, 2, 6
        float[] values = {3f, -1f, 4f, 1f, -5f, 9f, -2f, 6f};

        // when / then sorted descending: 9, 6, 5, 4, 3, 2, 1, 1
        assertThat(MagnitudeThreshold.kthLargestMagnitude(values, 1)).isEqualTo(9f);
        assertThat(MagnitudeThreshold.kthLargestMagnitude(values, 3)).isEqualTo(5f);
        assertThat(MagnitudeThreshold.kthLargestMagnitude(values, 8)).isEqualTo(1f);
        assertThat(MagnitudeThreshold.kthLargestMagnitude(values, 0)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(values).containsExactly(3f, -1f, 4f, 1f, -5f, 9f, -2f, 6f);
    }

    @Test
    void shouldAgreeWithSortingOnRandomArraysWithDuplicates() {
        // given
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextInt(4) == 0 ? Math.round(random.nextGaussian() * 3) : (float) random.nextGaussian();
            }
            float[] sorted = new float[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = Math.abs(values[i]);
            }
            Arrays.sort(sorted);
            int k = 1 + random.nextInt(n);

            // when / then
            assertThat(MagnitudeThreshold.kthLargestMagnitude(values, k)).isEqualTo(sorted[n - k]);
        }
    }

    @Test
    void shouldKeepTheFloorOfDensityTimesCount() {
        assertThat(MagnitudeThreshold.keepCount(10, 0.2)).isEqualTo(2);
        assertThat(MagnitudeThreshold.keepCount(9, 0.2)).isEqualTo(1);
        assertThat(MagnitudeThreshold.keepCount(7, 1.0)).isEqualTo(7);
        assertThatThrownBy(() -> MagnitudeThreshold.keepCount(7, 1.5)).hasMessageContaining("density must be in [0, 1]");
    }
}
