package io.upcycle.model.embeddings;

import io.upcycle.files.Sha256;
import io.upcycle.model.embeddings.TextEncoder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps an encoder and counts the texts it was asked to encode. */
public final class CountingEncoder implements TextEncoder {
    private final TextEncoder delegate;
    public final AtomicInteger textsEncoded = new AtomicInteger();

    public CountingEncoder(TextEncoder delegate) {
        this.delegate = delegate;
    }

    /** A fast stand-in for the sentence encoder: 8 values derived from each text's sha256. */
    public static CountingEncoder hashing() {
        return new CountingEncoder(new TextEncoder() {
            @Override
            public String id() {
                return "test-hash-encoder";
            }

            @Override
            public int dimension() {
                return 8;
            }

            @Override
            public float[][] encode(List<String> texts) {
                float[][] vectors = new float[texts.size()][8];
                for (int i = 0; i < texts.size(); i++) {
                    byte[] hash = Sha256.digestOf(texts.get(i));
                    for (int j = 0; j < 8; j++) {
                        vectors[i][j] = hash[j] / 128f;
                    }
                }
                return vectors;
            }
        });
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public float[][] encode(List<String> texts) {
        textsEncoded.addAndGet(texts.size());
        return delegate.encode(texts);
    }
}
