package io.upcycle.model.embeddings;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.ByteArrayInputStream;
import java.util.concurrent.Executors;

/**
 * langchain4j's in-process BERT embedding model over the quantized all-MiniLM-L6-v2 bytes, with
 * an ONNX Runtime session limited to one thread per call and {@code workers} calls in parallel
 * (langchain4j's executor option). Mean pooling, as langchain4j's own class for this model uses.
 */
final class MiniLmModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    MiniLmModel(byte[] onnxModel, byte[] tokenizerJson, int workers) {
        super(Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "sentence-encoder");
            thread.setDaemon(true);
            return thread;
        }));
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = environment.createSession(onnxModel, options);
            this.encoder = new OnnxBertBiEncoder(environment, session, new ByteArrayInputStream(tokenizerJson), PoolingMode.MEAN);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the all-MiniLM-L6-v2 ONNX model: " + e.getMessage(), e);
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return SentenceEncoder.DIMENSION;
    }
}
