package io.upcycle.model.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.embeddings.EmbeddingCache;
import io.upcycle.model.embeddings.SentenceEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    private static final SentenceEncoder REAL = new SentenceEncoder();
    private static final List<String> TEXTS = List.of(
            "A computer lets you make more mistakes faster than any invention in human history.",
            "Politics is the art of the possible.",
            "Die Schwester der Gleichgültigkeit ist die entsetzliche Langeweile.",
            "Politics is the art of the possible.");

    @TempDir
    Path root;

    @Test
    void shouldReturnIdenticalVectorsWithoutEncodingWhenLoadingASecondTime() {
        // given
        CountingEncoder first = new CountingEncoder(REAL);
        float[] encoded = new EmbeddingCache(root, first).embed("sample", TEXTS);

        // when
        CountingEncoder second = new CountingEncoder(REAL);
        float[] cached = new EmbeddingCache(root, second).embed("sample", TEXTS);

        // then
        assertThat(first.textsEncoded).hasValue(3); // the repeated text is encoded once
        assertThat(second.textsEncoded).hasValue(0);
        assertThat(cached).hasSize(4 * SentenceEncoder.DIMENSION).isEqualTo(encoded);
        assertThat(Files.exists(root.resolve(REAL.id()).resolve("sample.emb"))).isTrue();
    }

    @Test
    void shouldEncodeOnlyNewTextsWhenTheTextListGrows() {
        // given
        new EmbeddingCache(root, REAL).embed("sample", TEXTS);
        CountingEncoder counting = new CountingEncoder(REAL);

        // when
        float[] vectors = new EmbeddingCache(root, counting).embed("sample", List.of(TEXTS.get(1), "Work expands to fill the time available."));

        // then
        assertThat(counting.textsEncoded).hasValue(1);
        assertThat(vectors).hasSize(2 * SentenceEncoder.DIMENSION);
    }

    @Test
    void shouldRebuildWhenTheCacheFileIsDamaged() throws Exception {
        // given
        EmbeddingCache cache = new EmbeddingCache(root, REAL);
        float[] original = cache.embed("sample", TEXTS);
        Path file = cache.file("sample");
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 100));
        CountingEncoder counting = new CountingEncoder(REAL);

        // when
        float[] rebuilt = new EmbeddingCache(root, counting).embed("sample", TEXTS);

        // then
        assertThat(counting.textsEncoded).hasValue(3);
        assertThat(rebuilt).containsExactly(original, org.assertj.core.data.Offset.offset(1e-5f));
    }
}
