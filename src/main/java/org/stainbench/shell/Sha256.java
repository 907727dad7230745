package org.stainbench.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lower-case hex, the way artifacts (archives, checkpoints, extractors, outputs) are named and checked. */
public final class Sha256 {

    private Sha256() {}

    /** A fresh digest (every JVM has SHA-256). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash of a file's bytes, streamed. */
    public static String of(Path file) throws IOException {
        MessageDigest sha = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return hex(sha);
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** What {@link #copy} wrote: the file, its hash and its size. */
    public record Copied(Path file, String sha256, long size) {}

    /**
     * Streams {@code in} to {@code file} (created), computing the hash on the way; when the copy fails the partial
     * file is deleted and the error is thrown.
     */
    public static Copied copy(InputStream in, Path file) throws IOException {
        MessageDigest sha = digest();
        long size;
        try (DigestInputStream d = new DigestInputStream(in, sha);
                OutputStream out = Files.newOutputStream(file)) {
            size = d.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Copied(file, hex(sha), size);
    }

    /** The digest's value as hex (completes the digest). */
    public static String hex(MessageDigest sha) {
        return HexFormat.of().formatHex(sha.digest());
    }
}
