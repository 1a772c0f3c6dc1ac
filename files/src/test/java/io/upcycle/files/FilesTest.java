package io.upcycle.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesTest {
    @TempDir
    Path dir;

    @Test
    void shouldDeleteATreeDeepestFirstWithoutFollowingLinks() throws Exception {
        // given a tree with a link out of it
        Path outside = Files.writeString(dir.resolve("outside.txt"), "keep");
        Path root = Files.createDirectories(dir.resolve("root/a/b"));
        Files.writeString(root.resolve("f.txt"), "x");
        Files.createSymbolicLink(dir.resolve("root/link"), outside);

        // when
        FileTrees.delete(dir.resolve("root"));
        FileTrees.delete(dir.resolve("missing"));

        // then
        assertThat(dir.resolve("root")).doesNotExist();
        assertThat(outside).hasContent("keep");
    }

    @Test
    void shouldHashFilesBytesAndTextAlike() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("abc.txt"), "abc");

        // then: the known SHA-256 of "abc"
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(Sha256.of(file)).isEqualTo(abc);
        assertThat(Sha256.of("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(abc);
        assertThat(Sha256.hex(Sha256.digestOf("abc"))).isEqualTo(abc);
        assertThatThrownBy(() -> Sha256.of(dir.resolve("none"))).hasMessageContaining("cannot hash").hasMessageContaining("none");
    }

    @Test
    void shouldResolveTheHomeFromItsPropertyAndRefuseABlankOne() {
        String before = System.getProperty(UpcycleHome.PROPERTY);
        try {
            System.setProperty(UpcycleHome.PROPERTY, dir.toString());
            assertThat(UpcycleHome.resolve()).isEqualTo(dir.toAbsolutePath().normalize());
            System.setProperty(UpcycleHome.PROPERTY, " ");
            assertThatThrownBy(UpcycleHome::resolve).hasMessageContaining(UpcycleHome.PROPERTY);
        } finally {
            if (before == null) {
                System.clearProperty(UpcycleHome.PROPERTY);
            } else {
                System.setProperty(UpcycleHome.PROPERTY, before);
            }
        }
    }
}
