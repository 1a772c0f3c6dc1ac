package io.upcycle.model.tasks;

import io.upcycle.model.embeddings.EmbeddingCache;
import io.upcycle.model.embeddings.SentenceEncoder;
import io.upcycle.model.fetch.CommandRunner;
import io.upcycle.model.fetch.DataFetcher;
import io.upcycle.model.fetch.DataHome;
import io.upcycle.model.fetch.DataManifest;
import io.upcycle.model.fetch.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of tasks, by name. {@link #load(String)} is what the services call: it fetches
 * and verifies the raw data under {@code ${upcycle.home}/data} on first use, embeds the texts
 * (cached under {@code ${upcycle.home}/cache/embeddings}) and returns seeded 70/10/20 splits
 * (for {@code grain}: the ModApte test file as test, its train file split 7:1 into train and validation).
 */
public final class TaskCatalog {
    /** The four tasks of the first experiment (EVIDENCE.md): a study's experts, and the bench's training load. */
    public static final List<String> STUDY_TASKS = List.of("spam", "grain", "fortune-topic-6", "fortune-lang-8");

    /** Split seed used by {@link #load(String)}. */
    public static final long DEFAULT_SEED = 42L;

    private static final Map<String, TaskSource> TASKS = register(
            new FortuneTopicTask(), new FortuneLanguageTask(), new FortunePretrainTask(), new SpamTask(), new GrainTask());

    private TaskCatalog() {
    }

    private static Map<String, TaskSource> register(TaskSource... tasks) {
        Map<String, TaskSource> byName = new LinkedHashMap<>();
        for (TaskSource task : tasks) {
            if (byName.put(task.name(), task) != null) {
                throw new IllegalStateException("two tasks named " + task.name());
            }
        }
        return byName;
    }

    /** Names of every registered task, in registration order. */
    public static List<String> names() {
        return List.copyOf(TASKS.keySet());
    }

    /** The task called {@code name}; a miss lists the known names. */
    public static TaskSource task(String name) {
        TaskSource task = TASKS.get(name);
        if (task == null) {
            throw new IllegalArgumentException("unknown task '" + name + "'; known tasks: " + String.join(", ", names()));
        }
        return task;
    }

    /** {@link #load(String, long)} with {@link #DEFAULT_SEED}. */
    public static TaskData load(String task) {
        return load(task, DEFAULT_SEED);
    }

    /** The task's splits for {@code seed}, using {@code upcycle.home}; fetches and embeds on first use. */
    public static TaskData load(String task, long seed) {
        TaskSource source = task(task);
        return defaultLoader().load(source, seed);
    }

    /** A loader over {@code home} with the shared sentence encoder and the default splits. */
    public static TaskLoader loader(DataHome home) {
        DataFetcher fetcher = new DataFetcher(home.data(), DataManifest.committed(), CommandRunner.system());
        return new TaskLoader(fetcher, new EmbeddingCache(home.embeddings(), Encoder.SHARED), StratifiedSplitter.DEFAULT);
    }

    /** Every data source any registered task reads. */
    public static List<DataSource> allSources() {
        Set<DataSource> sources = new LinkedHashSet<>();
        TASKS.values().forEach(task -> sources.addAll(task.sources()));
        return new ArrayList<>(sources);
    }

    private static TaskLoader defaultLoader() {
        return loader(DataHome.fromSystemProperty());
    }

    /** One encoder per JVM: its model takes ~1 s and ~100 MB to load. */
    private static final class Encoder {
        static final SentenceEncoder SHARED = new SentenceEncoder();
    }
}
