package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.tasks.FortuneFile;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FortuneFileTest {

    @Test
    void shouldSplitEntriesOnPercentLinesWhenSeparatorsCarryBlanksOrCarriageReturns() {
        // given
        String content = "first line\nsecond line\n%\n\n  \n%  \r\nsecond entry\r\n%\r\nthird\n%\n";

        // when
        List<String> entries = FortuneFile.parse(content);

        // then
        assertThat(entries).containsExactly("first line\nsecond line", "second entry", "third");
    }

    @Test
    void shouldKeepPercentSignsInsideText() {
        // given
        String content = "100% sure\n%%\n50 %\n%\nnext";

        // when
        List<String> entries = FortuneFile.parse(content);

        // then
        assertThat(entries).containsExactly("100% sure\n%%\n50 %", "next");
    }

    @Test
    void shouldClipLongEntriesWithoutSplittingSurrogatePairs() {
        // given
        String longText = "a".repeat(FortuneFile.MAX_CHARS - 1) + "\uD83D\uDE00" + "tail";

        // when
        String clipped = FortuneFile.clip(longText);

        // then
        assertThat(clipped).hasSize(FortuneFile.MAX_CHARS - 1).doesNotContain("\uD83D");
        assertThat(FortuneFile.clip("short")).isEqualTo("short");
    }

    @Test
    void shouldDecodeUtf8StrictlyAndFallBackToTheLegacyCharsetWhenBytesAreNotUtf8() {
        // given
        byte[] utf8 = "Grüße, Привет".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "Grüße".getBytes(StandardCharsets.ISO_8859_1);
        byte[] koi8 = "Привет".getBytes(Charset.forName("KOI8-R"));

        // when / then
        assertThat(FortuneFile.decode(utf8, StandardCharsets.ISO_8859_1)).isEqualTo("Grüße, Привет");
        assertThat(FortuneFile.decode(latin1, StandardCharsets.ISO_8859_1)).isEqualTo("Grüße");
        assertThat(FortuneFile.decode(koi8, Charset.forName("KOI8-R"))).isEqualTo("Привет");
    }
}
