package io.upcycle.model.tasks;

import io.upcycle.model.embeddings.EmbeddingCache;
import io.upcycle.model.fetch.DataFetcher;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link TaskSource} into {@link TaskData}: fetches and verifies its raw data, reads its
 * labeled texts, embeds them through the {@link EmbeddingCache}, splits them with the
 * {@link StratifiedSplitter} (keeping a test split the task's data fixes, see
 * {@link TaskSource#inFixedTestSplit}) and fingerprints the training split.
 */
public final class TaskLoader {
    private static final Logger LOG = LoggerFactory.getLogger(TaskLoader.class);

    private final DataFetcher fetcher;
    private final EmbeddingCache cache;
    private final StratifiedSplitter splitter;

    public TaskLoader(DataFetcher fetcher, EmbeddingCache cache, StratifiedSplitter splitter) {
        this.fetcher = fetcher;
        this.cache = cache;
        this.splitter = splitter;
    }

    /** The labeled texts of {@code task}, fetched and verified first; no embedding. */
    public List<LabeledText> texts(TaskSource task) {
        return task.load(fetcher.ensure(task.sources()));
    }

    /** The task's splits for {@code seed}. */
    public TaskData load(TaskSource task, long seed) {
        long start = System.nanoTime();
        List<LabeledText> examples = texts(task);
        float[] features = cache.embed(task.name(), examples.stream().map(LabeledText::text).toList());
        int dim = features.length / Math.max(1, examples.size());
        int[] labels = examples.stream().mapToInt(LabeledText::label).toArray();
        boolean[] fixedTest = new boolean[examples.size()];
        boolean anyFixed = false;
        for (int i = 0; i < fixedTest.length; i++) {
            fixedTest[i] = task.inFixedTestSplit(examples.get(i));
            anyFixed |= fixedTest[i];
        }
        StratifiedSplitter.Assignment assignment = anyFixed
                ? splitter.splitAroundFixedTest(labels, fixedTest, seed) : splitter.split(labels, seed);
        Split train = select("train", assignment.train(), features, labels, dim);
        Split validation = select("validation", assignment.validation(), features, labels, dim);
        Split test = select("test", assignment.test(), features, labels, dim);
        String fingerprint = DatasetFingerprint.of(train);
        LOG.info("task {}: {} examples, {} classes, train/validation/test {}/{}/{}, seed {}, fingerprint {}, {} ms",
                task.name(), examples.size(), task.classNames().size(), train.size(), validation.size(), test.size(),
                seed, fingerprint.substring(0, 16), (System.nanoTime() - start) / 1_000_000);
        return new TaskData(task.name(), task.classNames(), train, validation, test, seed, fingerprint);
    }

    private static Split select(String name, int[] indices, float[] features, int[] labels, int dim) {
        float[] rows = new float[indices.length * dim];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * dim, rows, i * dim, dim);
        }
        return new Split(name, dim, rows, IntStream.of(indices).map(i -> labels[i]).toArray());
    }
}
