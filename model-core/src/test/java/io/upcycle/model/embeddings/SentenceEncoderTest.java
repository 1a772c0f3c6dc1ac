package io.upcycle.model.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upcycle.model.embeddings.SentenceEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceEncoderTest {
    private static final SentenceEncoder ENCODER = new SentenceEncoder();

    @Test
    void shouldPlaceNearIdenticalSentencesCloserThanUnrelatedOnes() {
        // given
        List<String> texts = List.of(
                "The cat sat on the mat.",
                "The cat was sitting on the mat.",
                "Interest rates rose sharply after the central bank meeting.");

        // when
        float[][] v = ENCODER.encode(texts);

        // then
        double near = cosine(v[0], v[1]);
        double far = cosine(v[0], v[2]);
        assertThat(near).isGreaterThan(0.8).isGreaterThan(far + 0.5);
    }

    @Test
    void shouldReturnUnitVectorsOfWidth384() {
        // when
        float[][] v = ENCODER.encode(List.of("Hello world", "Привет, мир"));

        // then
        assertThat(v).hasNumberOfRows(2);
        for (float[] row : v) {
            assertThat(row).hasSize(SentenceEncoder.DIMENSION);
            assertThat(Math.sqrt(cosineDot(row, row))).isCloseTo(1.0, within(1e-3));
        }
    }

    @Test
    void shouldNameItselfByTheHashOfItsModelBytes() {
        // when
        String id = ENCODER.id();

        // then
        assertThat(id).matches("all-minilm-l6-v2-q-[0-9a-f]{16}").isEqualTo(new SentenceEncoder(1).id());
    }

    private static double cosine(float[] a, float[] b) {
        return cosineDot(a, b) / Math.sqrt(cosineDot(a, a) * cosineDot(b, b));
    }

    private static double cosineDot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
