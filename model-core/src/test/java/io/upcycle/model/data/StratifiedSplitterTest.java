package io.upcycle.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitterTest {
    private final int[] labels = new FortuneTopicTask().load(RealData.dataRoot()).stream()
            .mapToInt(LabeledText::label).toArray();

    @Test
    void shouldGiveTheSameSplitWhenTheSeedIsTheSame() {
        // when
        StratifiedSplitter.Assignment first = StratifiedSplitter.DEFAULT.split(labels, 7);
        StratifiedSplitter.Assignment second = StratifiedSplitter.DEFAULT.split(labels, 7);
        StratifiedSplitter.Assignment other = StratifiedSplitter.DEFAULT.split(labels, 8);

        // then
        assertThat(second.train()).isEqualTo(first.train());
        assertThat(second.validation()).isEqualTo(first.validation());
        assertThat(second.test()).isEqualTo(first.test());
        assertThat(other.train()).isNotEqualTo(first.train());
    }

    @Test
    void shouldCoverEveryExampleOnceWhenSplitting() {
        // when
        StratifiedSplitter.Assignment split = StratifiedSplitter.DEFAULT.split(labels, 42);

        // then
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())),
                Arrays.stream(split.test())).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, labels.length).toArray());
    }

    @Test
    void shouldKeepClassProportionsInEverySplit() {
        // when
        StratifiedSplitter.Assignment split = StratifiedSplitter.DEFAULT.split(labels, 42);

        // then: per class 70 / 10 / 20, up to rounding
        for (int c = 0; c < 6; c++) {
            int label = c;
            long n = Arrays.stream(labels).filter(l -> l == label).count();
            assertThat(Arrays.stream(split.train()).filter(i -> labels[i] == label).count()).isEqualTo(Math.round(n * 0.7));
            assertThat(Arrays.stream(split.validation()).filter(i -> labels[i] == label).count()).isEqualTo(Math.round(n * 0.1));
        }
        assertThat(split.test().length).isBetween((int) (labels.length * 0.19), (int) (labels.length * 0.21));
    }
}
