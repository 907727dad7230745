package org.stainbench.shell;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * An upload over a configured size limit: 413 with a problem body naming the setting ({@link ApiProblems}); on pages
 * it is bad input like any other ({@link IllegalArgumentException}). {@link #limit} wraps a stream so that the limit
 * is enforced while the bytes arrive, not after.
 */
@ResponseStatus(HttpStatus.CONTENT_TOO_LARGE)
public class TooLarge extends IllegalArgumentException {

    private final long limit;
    private final String setting;

    public TooLarge(String what, long limit, String setting) {
        super(what + " is larger than " + limit + " bytes, the limit set by " + setting + ".");
        this.limit = limit;
        this.setting = setting;
    }

    public long limit() {
        return limit;
    }

    public String setting() {
        return setting;
    }

    /** {@code in}, which throws {@link TooLarge} as soon as more than {@code limit} bytes have been read from it. */
    public static InputStream limit(InputStream in, long limit, String what, String setting) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                count(skipped);
                return skipped;
            }

            private void count(long n) {
                count += n;
                if (count > limit) {
                    throw new TooLarge(what, limit, setting);
                }
            }
        };
    }
}
