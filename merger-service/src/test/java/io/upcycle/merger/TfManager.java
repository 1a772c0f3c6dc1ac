package io.upcycle.merger;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.engine.TensorFlowEngine;

/** The TensorFlow engine's manager for tests: the real engine, loaded once per test JVM. */
public final class TfManager {
    private TfManager() {
    }

    /** A new base manager on the TF engine; close it after the test class. */
    public static NDManager open() {
        return TensorFlowEngine.load().engine().newBaseManager();
    }
}
