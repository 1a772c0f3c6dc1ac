package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.upcycle.model.tasks.FortuneFile;
import io.upcycle.model.tasks.FortuneLanguageTask;
import io.upcycle.model.tasks.FortunePackages;
import io.upcycle.model.tasks.FortunePretrainTask;
import io.upcycle.model.tasks.FortuneTopicTask;
import io.upcycle.model.tasks.LabeledText;
import io.upcycle.model.tasks.TaskSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FortuneTasksTest {

    @Test
    void shouldReadEveryDistinctQuoteOfTheSixTopicsWhenLoadingFortuneTopic6() {
        // given
        TaskSource task = new FortuneTopicTask();

        // when
        List<LabeledText> examples = task.load(RealData.dataRoot());

        // then
        assertThat(countsPerClass(task, examples)).containsExactly(
                entry("computers", 1051), entry("politics", 703), entry("science", 625),
                entry("songs-poems", 717), entry("art", 465), entry("work", 630));
        assertWellFormed(examples);
    }

    @Test
    void shouldDrawOneThousandQuotesPerLanguageWhenLoadingFortuneLang8() {
        // given
        TaskSource task = new FortuneLanguageTask();

        // when
        List<LabeledText> examples = task.load(RealData.dataRoot());

        // then
        assertThat(countsPerClass(task, examples)).hasSize(8).allSatisfy((language, count) -> assertThat(count).isEqualTo(1000));
        assertWellFormed(examples);
        assertThat(examples).filteredOn(e -> task.classNames().get(e.label()).equals("ru"))
                .allSatisfy(e -> assertThat(e.source()).startsWith("fortunes-ru:"))
                .filteredOn(e -> e.text().codePoints().anyMatch(c -> Character.UnicodeBlock.CYRILLIC.equals(Character.UnicodeBlock.of(c))))
                .hasSizeGreaterThan(950);
        assertThat(examples).filteredOn(e -> task.classNames().get(e.label()).equals("de"))
                .filteredOn(e -> e.text().matches("(?s).*[äöüßÄÖÜ].*")).hasSizeGreaterThan(300);
    }

    @Test
    void shouldBeDeterministicWhenLoadingFortuneLang8Twice() {
        // given
        TaskSource task = new FortuneLanguageTask();

        // when
        List<LabeledText> first = task.load(RealData.dataRoot());
        List<LabeledText> second = task.load(RealData.dataRoot());

        // then
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldReadTwentyThreeCategoriesWhenLoadingFortunePretrain() {
        // given
        TaskSource task = new FortunePretrainTask();

        // when
        List<LabeledText> examples = task.load(RealData.dataRoot());

        // then
        Map<String, Integer> counts = countsPerClass(task, examples);
        assertThat(counts).hasSize(23).containsEntry("cookie", 1130).containsEntry("people", 1240)
                .containsEntry("linuxcookie", 103).containsEntry("kids", 149);
        assertThat(examples).hasSize(9625);
        assertWellFormed(examples);
    }

    @Test
    void shouldPretrainOnExactlyTheLargeEnglishCategoriesThatNoTaskReads() {
        // given every category file of the fortunes package, counted on the real files
        Path dataRoot = RealData.dataRoot();
        String folder = FortunePackages.FORTUNES.relativeDir() + "/" + FortunePackages.GAMES_DIR;
        Set<String> large = new TreeSet<>();
        for (String file : FortunePackages.filesIn(folder, Set.of())) {
            if (FortuneFile.read(dataRoot.resolve(file), StandardCharsets.ISO_8859_1).size() >= FortunePretrainTask.MIN_QUOTES) {
                large.add(file.substring(file.lastIndexOf('/') + 1));
            }
        }

        // when
        large.removeAll(FortuneTopicTask.CATEGORIES);
        large.removeAll(FortuneLanguageTask.ENGLISH_CATEGORIES);

        // then
        assertThat(FortunePretrainTask.CATEGORIES).containsExactlyElementsOf(large);
        assertThat(FortuneLanguageTask.ENGLISH_CATEGORIES).doesNotContainAnyElementsOf(FortuneTopicTask.CATEGORIES);
    }

    private static Map<String, Integer> countsPerClass(TaskSource task, List<LabeledText> examples) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        task.classNames().forEach(name -> counts.put(name, 0));
        examples.forEach(e -> counts.merge(task.classNames().get(e.label()), 1, Integer::sum));
        return counts;
    }

    private static void assertWellFormed(List<LabeledText> examples) {
        Set<String> distinct = new HashSet<>();
        examples.forEach(e -> distinct.add(e.text().replaceAll("\\s+", " ")));
        assertThat(distinct).as("no repeated texts").hasSize(examples.size());
        assertThat(examples).allSatisfy(e -> {
            assertThat(e.text()).isNotBlank().hasSizeLessThanOrEqualTo(FortuneFile.MAX_CHARS).doesNotContain("\uFFFD");
            assertThat(e.text()).isEqualTo(e.text().strip());
        });
    }
}
