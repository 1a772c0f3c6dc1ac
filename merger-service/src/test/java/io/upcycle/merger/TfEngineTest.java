package io.upcycle.merger;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of tests on the real TensorFlow engine: one manager per test class, opened before and closed after it. */
public abstract class TfEngineTest {
    protected static NDManager manager;

    @BeforeAll
    static void openEngine() {
        manager = TfManager.open();
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }
}
