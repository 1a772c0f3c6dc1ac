package io.upcycle.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte, to test the reader against files it did not write. */
final class SafetensorsFiles {
    private SafetensorsFiles() {
    }

    static Path handMade(Path dir, String headerJson, byte[] data) throws IOException {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data);
        Path file = Files.createTempFile(dir, "hand", ".safetensors");
        Files.write(file, out.array());
        return file;
    }
}
