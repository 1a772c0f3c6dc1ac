package io.upcycle.model.tasks;

import io.upcycle.files.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * The fingerprint of a split: sha256 (hex) over its size and width, then, for each example in
 * order, its id (row index), label and feature bits, all big-endian. Any change in the data, the
 * encoder, the split seed or the order changes it.
 */
public final class DatasetFingerprint {
    private DatasetFingerprint() {
    }

    public static String of(Split split) {
        MessageDigest digest = Sha256.digest();
        ByteBuffer row = ByteBuffer.allocate(8 + 4 * split.dim());
        digest.update(ByteBuffer.allocate(8).putInt(split.size()).putInt(split.dim()).array());
        for (int i = 0; i < split.size(); i++) {
            row.clear();
            row.putInt(i).putInt(split.labels()[i]);
            for (int j = 0; j < split.dim(); j++) {
                row.putInt(Float.floatToIntBits(split.features()[i * split.dim() + j]));
            }
            digest.update(row.array());
        }
        return Sha256.hex(digest.digest());
    }
}
