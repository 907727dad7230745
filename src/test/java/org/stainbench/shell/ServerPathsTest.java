package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The allowed-roots rule shared by every "register by server path" form, and the SHA-256 helpers. */
class ServerPathsTest {

    static final String OFF = "Registering by path is off.";

    @TempDir
    Path tmp;

    @Test
    void aFileOrFolderUnderARootIsReturnedAsItsRealPath() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path file = Files.writeString(
                Files.createDirectories(root.resolve("cohort")).resolve("he_1_1.npz"), "x");
        assertThat(ServerPaths.inside(root + "/cohort/../cohort/he_1_1.npz", List.of(root), false, "archive file", OFF))
                .isEqualTo(file.toRealPath());
        assertThat(ServerPaths.inside(
                        root.resolve("cohort").toString(), List.of(tmp.resolve("other"), root), true, "folder", OFF))
                .isEqualTo(root.resolve("cohort").toRealPath());
    }

    @Test
    void outsideTheRootsByDotsOrByALinkIsRefused() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path secret = Files.writeString(tmp.resolve("secret.npz"), "x");
        assertThatThrownBy(() -> ServerPaths.inside(root + "/../secret.npz", List.of(root), false, "file", OFF))
                .hasMessage("'" + root + "/../secret.npz' is outside the allowed roots (" + root + ").");
        Path link = Files.createSymbolicLink(root.resolve("innocent.npz"), secret);
        assertThatThrownBy(() -> ServerPaths.inside(link.toString(), List.of(root), false, "file", OFF))
                .hasMessageContaining("is outside the allowed roots");
    }

    @Test
    void missingWrongKindAndNoRootsEachSaySo() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("a-folder"));
        Files.writeString(root.resolve("a-file"), "x");
        assertThatThrownBy(() -> ServerPaths.inside(root + "/nothing.npz", List.of(root), false, "archive file", OFF))
                .hasMessage("No archive file at '" + root + "/nothing.npz'.");
        assertThatThrownBy(() -> ServerPaths.inside(root + "/a-folder", List.of(root), false, "slide file", OFF))
                .hasMessage("No slide file at '" + root + "/a-folder'.");
        assertThatThrownBy(() -> ServerPaths.inside(root + "/a-file", List.of(root), true, "folder", OFF))
                .hasMessage("No folder at '" + root + "/a-file'.");
        assertThatThrownBy(() -> ServerPaths.inside(root + "/a-file", List.of(), false, "file", OFF))
                .hasMessage(OFF);
    }

    @Test
    void sha256MatchesTheStandardVectorsAndCopyDeletesAPartialFile() throws IOException {
        // FIPS 180-2 test vectors (also: python3 -c "import hashlib; print(hashlib.sha256(b'abc').hexdigest())")
        assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.of(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        Path f = Files.write(tmp.resolve("abc"), "abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(Sha256.of(f)).isEqualTo(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)));

        Sha256.Copied c =
                Sha256.copy(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)), tmp.resolve("copy"));
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.sha256()).isEqualTo(Sha256.of(f));
        assertThat(Files.readString(c.file())).isEqualTo("abc");

        InputStream breaks = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ < 10) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> Sha256.copy(breaks, tmp.resolve("partial"))).hasMessage("connection reset");
        assertThat(tmp.resolve("partial")).doesNotExist();
    }
}
