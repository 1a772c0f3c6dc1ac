package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.embeddings.CountingEncoder;
import io.upcycle.model.embeddings.EmbeddingCache;
import io.upcycle.model.embeddings.TextEncoder;
import io.upcycle.model.fetch.CommandRunner;
import io.upcycle.model.fetch.DataFetcher;
import io.upcycle.model.fetch.DataManifest;
import io.upcycle.model.tasks.DatasetFingerprint;
import io.upcycle.model.tasks.FortuneTopicTask;
import io.upcycle.model.tasks.GrainTask;
import io.upcycle.model.tasks.LabeledText;
import io.upcycle.model.tasks.Split;
import io.upcycle.model.tasks.StratifiedSplitter;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.model.tasks.TaskLoader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskLoaderTest {
    @TempDir
    Path cacheRoot;

    private TaskLoader loader(TextEncoder encoder) {
        DataFetcher fetcher = new DataFetcher(RealData.dataRoot(), DataManifest.committed(), CommandRunner.system());
        return new TaskLoader(fetcher, new EmbeddingCache(cacheRoot, encoder), StratifiedSplitter.DEFAULT);
    }

    @Test
    void shouldReturnIdenticalSplitsAndFingerprintWhenLoadingTwiceWithTheSameSeed() {
        // given
        TaskLoader loader = loader(CountingEncoder.hashing());

        // when
        TaskData first = loader.load(new FortuneTopicTask(), 3);
        TaskData second = loader.load(new FortuneTopicTask(), 3);
        TaskData reseeded = loader.load(new FortuneTopicTask(), 4);

        // then
        assertThat(second.train().features()).isEqualTo(first.train().features());
        assertThat(second.test().labels()).isEqualTo(first.test().labels());
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).hasSize(64);
        assertThat(first.seed()).isEqualTo(3);
        assertThat(reseeded.fingerprint()).isNotEqualTo(first.fingerprint());
    }

    @Test
    void shouldPutEachExampleInExactlyOneSplit() {
        // given
        TaskLoader loader = loader(CountingEncoder.hashing());

        // when
        TaskData data = loader.load(new FortuneTopicTask(), 42);

        // then: the stand-in encoder gives each distinct text its own row
        Set<ByteBuffer> rows = new HashSet<>();
        for (Split split : List.of(data.train(), data.validation(), data.test())) {
            for (int i = 0; i < split.size(); i++) {
                assertThat(rows.add(rowKey(split, i))).as("row %d of %s seen before", i, split.name()).isTrue();
            }
        }
        assertThat(rows).hasSize(4191);
        assertThat(data.train().size()).isBetween(2934 - 6, 2934 + 6); // 70% of 4,191, rounded per class
        assertThat(data.classNames()).containsExactlyElementsOf(FortuneTopicTask.CATEGORIES);
    }

    @Test
    void shouldTestOnTheModApteTestFileAndDrawValidationFromTrainWhenLoadingGrain() {
        // given
        GrainTask task = new GrainTask();
        List<LabeledText> texts = task.load(RealData.dataRoot());
        long testFile = texts.stream().filter(task::inFixedTestSplit).count();

        // when
        TaskData data = loader(CountingEncoder.hashing()).load(task, 42);
        TaskData again = loader(CountingEncoder.hashing()).load(task, 42);

        // then
        assertThat(data.test().size()).isEqualTo(testFile).isEqualTo(601);
        assertThat(data.train().size() + data.validation().size()).isEqualTo(texts.size() - testFile);
        assertThat(data.validation().size()).as("an eighth of each class of the train file").isBetween(180 + 12, 181 + 13);
        assertThat(again.fingerprint()).isEqualTo(data.fingerprint());
        assertThat(data.classNames()).containsExactly("other", "grain");
    }

    @Test
    void shouldChangeTheFingerprintWhenOneLabelChanges() {
        // given
        TaskData data = loader(CountingEncoder.hashing()).load(new FortuneTopicTask(), 42);
        int[] labels = data.train().labels().clone();
        labels[0] = (labels[0] + 1) % 6;

        // when
        String changed = DatasetFingerprint.of(new Split("train", data.train().dim(), data.train().features(), labels));

        // then
        assertThat(changed).isNotEqualTo(data.fingerprint());
        assertThat(DatasetFingerprint.of(data.train())).isEqualTo(data.fingerprint());
    }

    private static ByteBuffer rowKey(Split split, int i) {
        ByteBuffer key = ByteBuffer.allocate(4 * split.dim());
        for (float value : split.row(i)) {
            key.putFloat(value);
        }
        return key.flip();
    }
}
