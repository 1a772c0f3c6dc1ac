package io.upcycle.model.fetch;

import java.nio.file.Path;
import java.util.Set;

/**
 * What a {@link DataSource} may use while fetching: the command runner, a scratch folder for
 * downloads, and a memo so that costly repairs (such as {@code apt-get update}) run at most once
 * per {@link DataFetcher#ensure} call, however many packages need them.
 */
public final class FetchContext {
    private final CommandRunner runner;
    private final Path scratch;
    private final Set<String> done;

    /** {@code done} is shared by every source of one {@link DataFetcher#ensure} call. */
    public FetchContext(CommandRunner runner, Path scratch, Set<String> done) {
        this.runner = runner;
        this.scratch = scratch;
        this.done = done;
    }

    public CommandRunner runner() {
        return runner;
    }

    /** A folder for downloads; the fetcher deletes it afterwards. */
    public Path scratch() {
        return scratch;
    }

    /** Runs {@code action} unless an action with this key already ran; says whether it ran now. */
    public boolean once(String key, Runnable action) {
        synchronized (done) {
            if (!done.add(key)) {
                return false;
            }
        }
        action.run();
        return true;
    }
}
