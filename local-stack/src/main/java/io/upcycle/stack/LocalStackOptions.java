package io.upcycle.stack;

import io.upcycle.files.UpcycleHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link LocalStack} starts.
 *
 * @param keepData     false: the broker lives in a temporary folder deleted on close and schemas in
 *                     memory. true: the broker keeps its log in {@link #effectiveLogDir()} and the
 *                     registry stores schemas in that broker (kafkasql), so that records and the
 *                     schema ids inside them stay consistent across runs
 * @param logDir       the broker's log folder when {@code keepData}; default {@code <upcycleHome>/stack/kafka}
 * @param upcycleHome  folder holding the unpacked registry and logs
 * @param registryStartTimeout how long to wait for the registry's API
 */
public record LocalStackOptions(boolean keepData, Optional<Path> logDir, Path upcycleHome,
                                Duration registryStartTimeout) {

    public LocalStackOptions {
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(upcycleHome, "upcycleHome");
        Objects.requireNonNull(registryStartTimeout, "registryStartTimeout");
        if (logDir.isPresent() && !keepData) {
            throw new IllegalArgumentException("logDir " + logDir.get()
                    + " is only used with keepData=true; without it the broker uses a temporary folder");
        }
        if (registryStartTimeout.isNegative() || registryStartTimeout.isZero()) {
            throw new IllegalArgumentException("registryStartTimeout must be positive, was " + registryStartTimeout);
        }
    }

    /** Throw-away data, upcycle home from {@link UpcycleHome#resolve()}, default registry timeout. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(false, Optional.empty(), UpcycleHome.resolve(),
                RegistryOptions.DEFAULT_START_TIMEOUT);
    }

    /** Keeps data between runs in {@code logDir}. */
    public LocalStackOptions keepingDataIn(Path logDir) {
        return new LocalStackOptions(true, Optional.of(logDir), upcycleHome, registryStartTimeout);
    }

    /** Keeps data between runs in the default folder {@code <upcycleHome>/stack/kafka}. */
    public LocalStackOptions keepingData() {
        return new LocalStackOptions(true, Optional.empty(), upcycleHome, registryStartTimeout);
    }

    /** The broker's log folder when data is kept. */
    public Path effectiveLogDir() {
        return logDir.orElse(upcycleHome.resolve("stack").resolve("kafka"));
    }

    RegistryOptions registryOptions() {
        return new RegistryOptions(upcycleHome, Optional.empty(), registryStartTimeout);
    }
}
