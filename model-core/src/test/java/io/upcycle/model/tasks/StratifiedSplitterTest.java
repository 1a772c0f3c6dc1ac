package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.tasks.FortuneTopicTask;
import io.upcycle.model.tasks.LabeledText;
import io.upcycle.model.tasks.StratifiedSplitter;
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
    void shouldKeepTheFixedTestSplitAndSliceValidationFromTheRestWhenTestIsFixed() {
        // given every third example marked as fixed test
        boolean[] fixed = new boolean[labels.length];
        for (int i = 0; i < labels.length; i += 3) {
            fixed[i] = true;
        }

        // when
        StratifiedSplitter.Assignment split = StratifiedSplitter.DEFAULT.splitAroundFixedTest(labels, fixed, 42);
        StratifiedSplitter.Assignment again = StratifiedSplitter.DEFAULT.splitAroundFixedTest(labels, fixed, 42);
        StratifiedSplitter.Assignment reseeded = StratifiedSplitter.DEFAULT.splitAroundFixedTest(labels, fixed, 43);

        // then: test is exactly the marked examples; train : validation is 7 : 1 per class
        assertThat(Arrays.stream(split.test()).sorted().toArray())
                .isEqualTo(IntStream.range(0, labels.length).filter(i -> fixed[i]).toArray());
        assertThat(IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())))
                .allSatisfy(i -> assertThat(fixed[i]).isFalse());
        for (int c = 0; c < 6; c++) {
            int label = c;
            long n = IntStream.range(0, labels.length).filter(i -> !fixed[i] && labels[i] == label).count();
            assertThat(Arrays.stream(split.train()).filter(i -> labels[i] == label).count())
                    .isBetween((long) Math.floor(n * 0.875), (long) Math.ceil(n * 0.875));
        }
        assertThat(again.train()).isEqualTo(split.train());
        assertThat(again.validation()).isEqualTo(split.validation());
        assertThat(reseeded.validation()).isNotEqualTo(split.validation());
        assertThat(Arrays.stream(reseeded.test()).sorted().toArray()).isEqualTo(Arrays.stream(split.test()).sorted().toArray());
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
