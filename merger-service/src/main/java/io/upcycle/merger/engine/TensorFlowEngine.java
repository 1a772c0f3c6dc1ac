package io.upcycle.merger.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DJL's TensorFlow engine, loaded once per JVM after its natives are configured, with the device
 * tensors go to (a GPU when TF sees one, else the CPU) and how long loading took.
 */
public record TensorFlowEngine(Engine engine, Device device, Path natives, long loadMillis) {
    /** DJL's name of the engine. */
    public static final String NAME = "TensorFlow";
    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowEngine.class);
    private static TensorFlowEngine loaded;

    /** Loads the engine (first call) or returns the one already loaded. */
    public static synchronized TensorFlowEngine load() {
        if (loaded == null) {
            long start = System.nanoTime();
            Path natives = TensorFlowNatives.configure();
            Engine engine = Engine.getEngine(NAME);
            Device device = engine.defaultDevice();
            long millis = (System.nanoTime() - start) / 1_000_000;
            LOG.info("TensorFlow engine {} loaded from {} in {} ms, device {}", engine.getVersion(), natives, millis, device);
            loaded = new TensorFlowEngine(engine, device, natives, millis);
        }
        return loaded;
    }

    /** Device name for events: {@code cpu}, or {@code gpu(0)} for the first GPU. */
    public String deviceName() {
        return device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : device.getDeviceType();
    }
}
