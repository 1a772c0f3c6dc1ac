package io.upcycle.model.embeddings;

import java.util.List;

/**
 * Turns texts into fixed-width vectors. {@link SentenceEncoder} is the real one; the interface
 * lets tests count calls and lets the embedding cache key its files by {@link #id()}.
 */
public interface TextEncoder {

    /** Stable identity of the encoder's weights and tokenizer; cached vectors are valid only for it. */
    String id();

    /** Width of every vector. */
    int dimension();

    /** One vector per text, in order. */
    float[][] encode(List<String> texts);
}
