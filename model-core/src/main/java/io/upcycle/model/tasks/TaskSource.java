package io.upcycle.model.tasks;

import io.upcycle.model.fetch.DataSource;
import java.nio.file.Path;
import java.util.List;

/**
 * A classification task over raw text: which data it needs, its classes, and how to read its
 * labeled examples from the fetched files. Registered in {@link TaskCatalog}; turning the texts
 * into embeddings and splits is the catalog's job, not the task's.
 */
public interface TaskSource {

    /** The task's name, e.g. {@code fortune-topic-6}; stable, it appears in events and checkpoints. */
    String name();

    /** Class names in label order: {@code classNames().get(label)}. */
    List<String> classNames();

    /** The raw data the task reads; the catalog fetches and verifies it before {@link #load}. */
    List<DataSource> sources();

    /** The task's examples, deterministic for the pinned data (no duplicates, texts clipped). */
    List<LabeledText> load(Path dataRoot);

    /**
     * Whether {@code example} belongs to a test split that the data itself fixes (Reuters'
     * ModApte test documents for {@code grain}). When any example does, the loader keeps exactly
     * those as the test split and draws train and validation, seeded, from the rest. Default:
     * none, the loader draws all three splits.
     */
    default boolean inFixedTestSplit(LabeledText example) {
        return false;
    }
}
