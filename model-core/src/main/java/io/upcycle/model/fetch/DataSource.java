package io.upcycle.model.fetch;

import java.nio.file.Path;

/**
 * One unit of raw data that a package registry serves, fetched with that registry's own client
 * into a folder of the data root. Adding a registry (npm for SpamAssassin, another Debian package
 * for Reuters) means adding one small implementation; {@link DataFetcher} does the rest: locking,
 * skipping what is already there, verifying every file against the committed manifest.
 */
public interface DataSource {

    /** Display name, e.g. {@code debian:fortunes-de}. */
    String name();

    /**
     * The folder, relative to the data root, that holds this source's files once fetched
     * (e.g. {@code debian/fortunes-de}); manifest paths start with it.
     */
    String relativeDir();

    /**
     * Downloads the source and unpacks its files into {@code target}, an empty folder that the
     * fetcher moves into place once every file is verified. Installs nothing system-wide.
     */
    void fetchInto(Path target, FetchContext context);
}
