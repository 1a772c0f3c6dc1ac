package io.upcycle.merger.method;

import java.util.Locale;

/**
 * Over what a magnitude trim (TIES) ranks an expert's task vector to keep its top {@code density}
 * fraction: each tensor on its own (mergekit's and PEFT's convention: every tensor, a bias too,
 * keeps the same share) or the whole task vector at once (the TIES paper's "top-k% of the task
 * vector": large tensors may keep more than small ones, or less).
 */
public enum TrimScope {
    /** Top {@code density} of each tensor. */
    TENSOR,
    /** Top {@code density} of all the merged tensors of an expert together. */
    GLOBAL;

    /** The parameter's value: {@code tensor} or {@code global}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code value}; anything else is refused, naming the allowed values. */
    public static TrimScope parse(String value) {
        for (TrimScope scope : values()) {
            if (scope.value().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return scope;
            }
        }
        throw new IllegalArgumentException(MergeParameters.TRIM_SCOPE + " must be 'tensor' or 'global', was '" + value + "'");
    }
}
