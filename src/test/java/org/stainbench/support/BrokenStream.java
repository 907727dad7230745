package org.stainbench.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

/** An upload whose client goes away: {@code bytes} random bytes, then an {@link IOException}. */
public final class BrokenStream extends InputStream {

    private final SplittableRandom random = new SplittableRandom(7);
    private long left;

    public BrokenStream(long bytes) {
        this.left = bytes;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            throw new IOException("the client went away");
        }
        left--;
        return random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
            throw new IOException("the client went away");
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) random.nextInt(256);
        }
        left -= n;
        return n;
    }
}
