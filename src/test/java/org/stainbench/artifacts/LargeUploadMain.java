package org.stainbench.artifacts;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Run in a child JVM with a small heap by the contract tests: uploads a generated stream of unknown length (larger
 * than the heap) with {@code put} and prints the SHA-256 of the bytes it generated. Arguments: {@code local <root>
 * <key> <bytes>} or {@code s3 <endpoint> <bucket> <key> <bytes>} (credentials from the environment).
 */
public final class LargeUploadMain {

    public static void main(String[] args) throws Exception {
        ArtifactStore store;
        String key;
        long bytes;
        if (args[0].equals("local")) {
            store = new LocalArtifactStore(Path.of(args[1]));
            key = args[2];
            bytes = Long.parseLong(args[3]);
        } else {
            store = new S3ArtifactStore(
                    S3ArtifactStore.client(args[1], "us-east-1", true, null),
                    args[2],
                    "",
                    S3ArtifactStore.MIN_PART_SIZE);
            key = args[3];
            bytes = Long.parseLong(args[4]);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long stored = store.put(key, new Generated(bytes, sha), -1);
        System.out.println("max-heap " + Runtime.getRuntime().maxMemory());
        System.out.println("stored " + stored);
        System.out.println("sha256 " + HexFormat.of().formatHex(sha.digest()));
    }

    /** Pseudo-random bytes, hashed as they are read. */
    static final class Generated extends InputStream {
        private final SplittableRandom random = new SplittableRandom(21);
        private final MessageDigest sha;
        private long left;

        Generated(long bytes, MessageDigest sha) {
            this.left = bytes;
            this.sha = sha;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, Math.min(left, 8192));
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            sha.update(b, off, n);
            left -= n;
            return n;
        }
    }
}
