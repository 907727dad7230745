package org.stainbench.jobs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Append-only job logs, one folder per job under {@code <data-dir>/jobs/<id>/}. A log file that would grow
 * beyond {@code stainbench.jobs.log-max-bytes} rotates: {@code log.txt} becomes {@code log.1.txt} (replacing
 * the previous one), so a runaway job keeps at most two files' worth on disk.
 */
@Component
class JobLogs {

    private final Path root;
    private final long maxBytes;
    private final Object[] locks = new Object[64];

    JobLogs(@Value("${stainbench.data-dir}") String dataDir, JobsProperties properties) {
        this.root = Path.of(dataDir).resolve("jobs");
        this.maxBytes = properties.logMaxBytes();
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    Path folder(long jobId) {
        return root.resolve(Long.toString(jobId));
    }

    Path current(long jobId) {
        return folder(jobId).resolve("log.txt");
    }

    Path rotated(long jobId) {
        return folder(jobId).resolve("log.1.txt");
    }

    /** Appends text (a line gets a newline if it has none). */
    void append(long jobId, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        byte[] bytes = (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (locks[(int) (jobId % locks.length)]) {
            try {
                Files.createDirectories(folder(jobId));
                Path file = current(jobId);
                long size = Files.exists(file) ? Files.size(file) : 0;
                if (size > 0 && size + bytes.length > maxBytes) {
                    Files.move(file, rotated(jobId), StandardCopyOption.REPLACE_EXISTING);
                }
                if (bytes.length > maxBytes) {
                    bytes = java.util.Arrays.copyOfRange(bytes, bytes.length - (int) maxBytes, bytes.length);
                }
                Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The last {@code maxChars} bytes of the log (across the rotated file when needed). */
    String tail(long jobId, int maxBytesWanted) {
        synchronized (locks[(int) (jobId % locks.length)]) {
            try {
                byte[] current = readTail(current(jobId), maxBytesWanted);
                byte[] older = current.length < maxBytesWanted
                        ? readTail(rotated(jobId), maxBytesWanted - current.length)
                        : new byte[0];
                byte[] all = new byte[older.length + current.length];
                System.arraycopy(older, 0, all, 0, older.length);
                System.arraycopy(current, 0, all, older.length, current.length);
                return new String(all, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Bytes on disk for the job's logs. */
    long size(long jobId) {
        try {
            long total = 0;
            for (Path p : new Path[] {current(jobId), rotated(jobId)}) {
                if (Files.exists(p)) {
                    total += Files.size(p);
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readTail(Path file, int max) throws IOException {
        if (max <= 0 || !Files.exists(file)) {
            return new byte[0];
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, max);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            return buf;
        }
    }
}
