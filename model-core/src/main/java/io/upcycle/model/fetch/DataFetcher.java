package io.upcycle.model.fetch;

import io.upcycle.files.FileTrees;
import io.upcycle.files.Sha256;
import io.upcycle.model.tasks.TaskCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes raw data present and verified under {@code ${upcycle.home}/data}: fetches each
 * {@link DataSource} that is missing (into a temporary folder, verified, then moved into place,
 * under a file lock so that parallel JVMs fetch once), and checks every file the manifest pins
 * on each call. Idempotent: when everything is there it only hashes the files (tens of ms).
 */
public final class DataFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(DataFetcher.class);
    private static final Object JVM_LOCK = new Object();
    /** The command (run in the repository root) that fetches everything the tasks need; named in repair hints. */
    public static final String FETCH_COMMAND = "mvn -pl model-core compile exec:java";

    private final Path dataRoot;
    private final DataManifest manifest;
    private final CommandRunner runner;

    public DataFetcher(Path dataRoot, DataManifest manifest, CommandRunner runner) {
        this.dataRoot = dataRoot.toAbsolutePath().normalize();
        this.manifest = manifest;
        this.runner = runner;
    }

    /** The fetcher for {@code ${upcycle.home}/data}, the committed manifest and the real package clients. */
    public static DataFetcher atDefaultLocation() {
        return new DataFetcher(DataHome.fromSystemProperty().data(), DataManifest.committed(), CommandRunner.system());
    }

    public Path dataRoot() {
        return dataRoot;
    }

    /** Fetches what is missing and verifies every pinned file of {@code sources}; returns the data root. */
    public Path ensure(Collection<? extends DataSource> sources) {
        long start = System.nanoTime();
        int files = 0;
        Set<String> repairsDone = new HashSet<>();
        for (DataSource source : sources) {
            if (!Files.isDirectory(dataRoot.resolve(source.relativeDir()))) {
                fetchLocked(source, repairsDone);
            }
            files += verify(source, dataRoot);
        }
        LOG.info("data ready: {} sources, {} files verified in {} ms under {}",
                sources.size(), files, (System.nanoTime() - start) / 1_000_000, dataRoot);
        return dataRoot;
    }

    /**
     * Checks every file the manifest pins for {@code source} below {@code root}; returns how many.
     *
     * @throws DataIntegrityException naming the first missing or altered file and how to repair it
     */
    public int verify(DataSource source, Path root) {
        List<DataManifest.Entry> pinned = manifest.under(source.relativeDir());
        if (pinned.isEmpty()) {
            throw new IllegalStateException("the data manifest " + DataManifest.RESOURCE + " pins no file of "
                    + source.name() + " (expected paths under " + source.relativeDir() + "/)");
        }
        for (DataManifest.Entry entry : pinned) {
            Path file = root.resolve(entry.path());
            String actual = Files.isRegularFile(file) ? Sha256.of(file) : null;
            if (!entry.sha256().equals(actual)) {
                throw new DataIntegrityException(dataRoot.resolve(entry.path()), entry.sha256(), actual,
                        repairHint(source, root));
            }
        }
        return pinned.size();
    }

    private String repairHint(DataSource source, Path root) {
        if (!root.equals(dataRoot)) {
            return "the freshly fetched " + source.name() + " differs from the manifest " + DataManifest.RESOURCE
                    + " (a different release of the package?); review the new data, then update the manifest";
        }
        return "rm -rf '" + dataRoot.resolve(source.relativeDir()) + "' (the next load fetches it again, or run `"
                + FETCH_COMMAND + "`)";
    }

    private void fetchLocked(DataSource source, Set<String> repairsDone) {
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(dataRoot);
                try (FileChannel channel = FileChannel.open(dataRoot.resolve(".fetch.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    if (!Files.isDirectory(dataRoot.resolve(source.relativeDir()))) {
                        fetch(source, repairsDone);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot fetch " + source.name() + " into " + dataRoot, e);
            }
        }
    }

    private void fetch(DataSource source, Set<String> repairsDone) throws IOException {
        long start = System.nanoTime();
        LOG.info("fetching {} ...", source.name());
        Path staging = Files.createTempDirectory(dataRoot, ".staging-");
        Path scratch = Files.createTempDirectory(dataRoot, ".download-");
        try {
            source.fetchInto(staging.resolve(source.relativeDir()), new FetchContext(runner, scratch, repairsDone));
            int files = verify(source, staging);
            Path target = dataRoot.resolve(source.relativeDir());
            Files.createDirectories(target.getParent());
            Files.move(staging.resolve(source.relativeDir()), target, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("fetched {} in {} ms: {} files verified", source.name(), (System.nanoTime() - start) / 1_000_000, files);
        } finally {
            FileTrees.delete(staging);
            FileTrees.delete(scratch);
        }
    }

    /**
     * Fetches and verifies the data of every registered task into {@code ${upcycle.home}/data};
     * with {@code --embed}, also loads every task once so that its embeddings are cached.
     */
    public static void main(String[] args) {
        atDefaultLocation().ensure(TaskCatalog.allSources());
        if (List.of(args).contains("--embed")) {
            TaskCatalog.names().forEach(TaskCatalog::load);
        }
    }
}
