package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.embeddings.SentenceEncoder;
import io.upcycle.model.tasks.GrainTask;
import io.upcycle.model.tasks.TaskCatalog;
import io.upcycle.model.tasks.TaskData;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * End to end with the real encoder: every task fetched, embedded (the first run embeds ~29,600
 * texts, several minutes on 2 cores; later runs read the cache under the upcycle home) and split.
 */
class TaskCatalogIT {

    @Test
    void shouldLoadEveryTaskWithSentenceEmbeddingsAndReproduceItFromTheCache() {
        for (String name : TaskCatalog.names()) {
            // when
            TaskData first = TaskCatalog.load(name);
            long start = System.nanoTime();
            TaskData second = TaskCatalog.load(name);
            long cachedMillis = (System.nanoTime() - start) / 1_000_000;

            // then
            int total = first.train().size() + first.validation().size() + first.test().size();
            assertThat(first.train().dim()).isEqualTo(SentenceEncoder.DIMENSION);
            assertThat(first.seed()).isEqualTo(TaskCatalog.DEFAULT_SEED);
            double trainShare = name.equals(GrainTask.NAME) ? 1546 * 0.875 / 2147 : 0.7; // grain: the ModApte files decide
            assertThat((double) first.train().size() / total).as(name).isCloseTo(trainShare, org.assertj.core.data.Offset.offset(0.01));
            assertThat(IntStream.of(first.train().labels()).distinct().count()).isEqualTo(first.classNames().size());
            assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
            assertThat(second.train().features()).isEqualTo(first.train().features());
            assertThat(cachedMillis).as("%s from the cache", name).isLessThan(20_000);
        }
    }
}
