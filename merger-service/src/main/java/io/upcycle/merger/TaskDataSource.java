package io.upcycle.merger;

import io.upcycle.model.tasks.TaskData;
import io.upcycle.model.tasks.TaskCatalog;

/**
 * Where the merger gets a task's validation and test splits: {@link TaskCatalog} in production,
 * small hand-made splits in tests.
 */
@FunctionalInterface
public interface TaskDataSource {

    TaskData load(String task);

    /** The catalog's splits with its default seed (the one the trainer uses). */
    static TaskDataSource catalog() {
        return TaskCatalog::load;
    }
}
