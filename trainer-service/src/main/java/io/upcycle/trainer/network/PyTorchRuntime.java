package io.upcycle.trainer.network;

import io.upcycle.files.UpcycleHome;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts DJL's PyTorch engine the way this project needs it: offline (the natives come from the
 * {@code pytorch-native-cpu} jar on the classpath, nothing is downloaded) and with the engine
 * cache, where DJL unpacks those natives, under the upcycle home instead of the user's home.
 *
 * <p>DJL reads {@code ENGINE_CACHE_DIR} (environment first, then system property) and
 * {@code ai.djl.offline} when the engine first loads, so {@link #engine()} sets both, unless the
 * user already chose, before touching the engine.
 *
 * <p>It also defaults PyTorch to one intra-op and one inter-op thread
 * ({@code ai.djl.pytorch.num_threads}, {@code ai.djl.pytorch.num_interop_threads}; set them to
 * override). The expert network is small (64 x 384 x 256 matmuls), and on a shared 2-core machine
 * OpenMP's spinning worker fights the broker, the publisher and other JVMs: measured here, one
 * thread ran 3.6-5 ms a step where two ran 5-13 ms under load, and equal when idle.
 */
public final class PyTorchRuntime {
    /** The DJL engine name of PyTorch. */
    public static final String ENGINE = "PyTorch";
    /** Folder under the upcycle home where DJL unpacks the PyTorch natives. */
    public static final String CACHE_FOLDER = "engine-cache";

    private PyTorchRuntime() {
    }

    /** The PyTorch engine, configured for offline use with its cache under {@code home}. */
    public static synchronized Engine engine(Path home) {
        configure(home);
        return Engine.getEngine(ENGINE);
    }

    /** The PyTorch engine with the cache under {@link UpcycleHome#resolve()}. */
    public static Engine engine() {
        return engine(UpcycleHome.resolve());
    }

    private static void configure(Path home) {
        defaultProperty("ai.djl.pytorch.num_threads", "1");
        defaultProperty("ai.djl.pytorch.num_interop_threads", "1");
        defaultProperty("ai.djl.offline", "true");
        if (System.getenv("ENGINE_CACHE_DIR") == null && System.getProperty("ENGINE_CACHE_DIR") == null) {
            Path cache = home.resolve(CACHE_FOLDER).toAbsolutePath();
            try {
                Files.createDirectories(cache);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the DJL engine cache " + cache, e);
            }
            System.setProperty("ENGINE_CACHE_DIR", cache.toString());
        }
    }

    private static void defaultProperty(String key, String value) {
        if (System.getenv(key) == null && System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
