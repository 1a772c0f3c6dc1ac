package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @Test
    void shouldReturnTheLastLinesOfALog(@TempDir Path folder) throws Exception {
        Path log = Files.writeString(folder.resolve("x.log"), "one\ntwo\nthree\nfour\n");

        assertThat(LogTail.of(log, 2).lines()).containsExactly("three", "four");
        assertThat(LogTail.of(log, 10).lines()).containsExactly("one", "two", "three", "four");
    }

    @Test
    void shouldSayWhyWhenTheLogCannotBeRead(@TempDir Path folder) {
        assertThat(LogTail.of(folder.resolve("missing.log"), 5)).startsWith("(cannot read");
    }
}
