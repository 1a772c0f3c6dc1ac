package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.upcycle.model.fetch.DataFetcher;
import io.upcycle.model.fetch.DataIntegrityException;
import io.upcycle.model.fetch.DataManifest;
import io.upcycle.model.fetch.DataSource;
import io.upcycle.model.tasks.FortuneFile;
import io.upcycle.model.tasks.GrainTask;
import io.upcycle.model.tasks.LabeledText;
import io.upcycle.model.tasks.SpamTask;
import io.upcycle.model.tasks.TaskSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpamAndGrainTasksTest {
    @TempDir
    Path temp;

    @Test
    void shouldReadEveryDistinctBodyOfTheFiveGroupsWhenLoadingSpam() {
        // given
        TaskSource task = new SpamTask();

        // when
        List<LabeledText> examples = task.load(RealData.dataRoot());

        // then: 4,150 ham and 1,896 spam messages, minus 54 and 300 repeated bodies
        assertThat(countsPerClass(task, examples)).containsExactly(entry("ham", 4096), entry("spam", 1596));
        assertWellFormed(examples);
        assertThat(examples).noneSatisfy(e -> assertThat(e.text()).startsWith("Received: "));
        assertThat(examples).filteredOn(e -> e.source().startsWith("hard-ham-1/")).hasSize(236)
                .allSatisfy(e -> assertThat(e.label()).isZero());
    }

    @Test
    void shouldKeepTheModApteFilesAsTrainAndTestWhenLoadingGrain() {
        // given
        TaskSource task = new GrainTask();

        // when
        List<LabeledText> examples = task.load(RealData.dataRoot());

        // then
        List<LabeledText> test = examples.stream().filter(task::inFixedTestSplit).toList();
        List<LabeledText> train = examples.stream().filter(e -> !task.inFixedTestSplit(e)).toList();
        assertThat(countsPerClass(task, train)).containsExactly(entry("other", 1444), entry("grain", 102));
        assertThat(countsPerClass(task, test)).containsExactly(entry("other", 544), entry("grain", 57));
        assertWellFormed(examples);
        assertThat(examples).allSatisfy(e -> assertThat(e.text()).doesNotContain("&#", "&lt;", "\\n", "\\'"));
        assertThat(train.get(0).text()).startsWith("BAHIA COCOA REVIEW Showers continued throughout the week in\nthe Bahia");
    }

    @Test
    void shouldBeDeterministicWhenLoadingTwice() {
        for (TaskSource task : List.of(new SpamTask(), new GrainTask())) {
            // when
            List<LabeledText> first = task.load(RealData.dataRoot());
            List<LabeledText> second = task.load(RealData.dataRoot());

            // then
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void shouldRefuseACorruptMessageNamingItAndTheFix() throws IOException {
        assertFirstFileRefusedWhenAltered(SpamTask.PACKAGE, text -> text.replaceFirst("\n\n", "\n\nFREE MONEY\n"));
    }

    @Test
    void shouldRefuseACorruptArffFileNamingItAndTheFix() throws IOException {
        assertFirstFileRefusedWhenAltered(GrainTask.WEKA, text -> text.replaceFirst("',0\n", "',1\n"));
    }

    /** Only the first pinned file is needed: the fetcher checks in manifest order and stops at the first bad one. */
    private void assertFirstFileRefusedWhenAltered(DataSource source, UnaryOperator<String> alter) throws IOException {
        // given a data root holding an altered copy of the source's first pinned file
        DataManifest.Entry first = DataManifest.committed().under(source.relativeDir()).get(0);
        Path dataRoot = temp.resolve("data");
        Path altered = dataRoot.resolve(first.path());
        Files.createDirectories(altered.getParent());
        String original = new String(Files.readAllBytes(RealData.dataRoot().resolve(first.path())), StandardCharsets.ISO_8859_1);
        String changed = alter.apply(original);
        assertThat(changed).isNotEqualTo(original);
        Files.write(altered, changed.getBytes(StandardCharsets.ISO_8859_1));
        DataFetcher fetcher = new DataFetcher(dataRoot, DataManifest.committed(), (dir, command) -> {
            throw new AssertionError("no fetch expected, got " + command);
        });

        // when / then
        assertThatThrownBy(() -> fetcher.ensure(List.of(source)))
                .isInstanceOf(DataIntegrityException.class)
                .hasMessageContaining("corrupt data file " + altered)
                .hasMessageContaining("expected sha256 " + first.sha256())
                .hasMessageContaining("rm -rf '" + dataRoot.resolve(source.relativeDir()) + "'");
    }

    @Test
    void shouldPinEveryMessageOfTheCorpusAndBothGrainFiles() {
        // when
        List<DataManifest.Entry> spam = DataManifest.committed().under(SpamTask.PACKAGE.relativeDir());
        List<DataManifest.Entry> grain = DataManifest.committed().under(GrainTask.WEKA.relativeDir());

        // then
        assertThat(spam).hasSize(6046).allSatisfy(e -> assertThat(e.path()).endsWith(".txt"));
        assertThat(grain).extracting(DataManifest.Entry::path).containsExactly(
                GrainTask.EXAMPLES_DIR + "/" + GrainTask.TRAIN_FILE, GrainTask.EXAMPLES_DIR + "/" + GrainTask.TEST_FILE);
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
            assertThat(e.text()).isNotBlank().hasSizeLessThanOrEqualTo(FortuneFile.MAX_CHARS);
            assertThat(e.text()).isEqualTo(e.text().strip());
        });
    }
}
