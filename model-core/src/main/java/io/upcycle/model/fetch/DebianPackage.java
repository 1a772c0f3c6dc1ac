package io.upcycle.model.fetch;

import io.upcycle.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Debian package fetched with {@code apt-get download NAME} and unpacked with
 * {@code dpkg-deb -x} into the project's data folder; nothing is installed system-wide.
 *
 * <p>When the download fails (on a fresh machine the package lists are empty; on an old one they
 * may name a revision the mirror no longer serves) it runs {@code apt-get update} once per fetch
 * and retries. Updating the lists needs root, as on the project's build machines.
 */
public record DebianPackage(String packageName) implements DataSource {
    private static final Logger LOG = LoggerFactory.getLogger(DebianPackage.class);

    public DebianPackage {
        if (!packageName.matches("[a-z0-9][a-z0-9+.-]+")) {
            throw new IllegalArgumentException("not a Debian package name: '" + packageName + "'");
        }
    }

    @Override
    public String name() {
        return "debian:" + packageName;
    }

    @Override
    public String relativeDir() {
        return "debian/" + packageName;
    }

    @Override
    public void fetchInto(Path target, FetchContext context) {
        Path downloads = context.scratch().resolve(packageName);
        FileTrees.create(downloads);
        List<String> download = List.of("apt-get", "download", packageName);
        CommandRunner.Result result = context.runner().run(downloads, download);
        if (!result.ok()) {
            boolean updated = context.once("apt-get update", () -> {
                LOG.info("apt-get download {} failed ({}); updating the package lists once and retrying",
                        packageName, lastLine(result.output()));
                context.runner().run(downloads, List.of("apt-get", "update")).orThrow();
            });
            if (!updated) {
                result.orThrow();
            }
            context.runner().run(downloads, download).orThrow();
        }
        Path deb = singleDeb(downloads);
        FileTrees.create(target);
        context.runner().run(downloads, List.of("dpkg-deb", "-x", deb.toString(), target.toString())).orThrow();
    }

    private Path singleDeb(Path downloads) {
        try (Stream<Path> files = Files.list(downloads)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().endsWith(".deb")).toList();
            if (debs.size() != 1) {
                throw new DataFetchException("expected one .deb for " + packageName + " in " + downloads + ", found " + debs);
            }
            return debs.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastLine(String output) {
        return output.strip().lines().reduce((first, second) -> second).orElse("");
    }
}
