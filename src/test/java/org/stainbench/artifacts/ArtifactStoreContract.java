package org.stainbench.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ArtifactStore}, one suite run on both stores: {@link LocalArtifactStoreTest} (the folder)
 * and {@link S3ArtifactStoreTest} (a bucket of a real S3 API server, s3proxy). Part size on S3 is the minimum (5MB)
 * so that the multipart path runs with small test data.
 */
abstract class ArtifactStoreContract {

    /** A fresh, empty store. */
    abstract ArtifactStore store();

    /** The child JVM's arguments that point {@link LargeUploadMain} at this store, and its environment. */
    abstract List<String> childArgs(String key, long bytes);

    abstract Map<String, String> childEnv();

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void roundTripSizeExistsAndReplace() throws IOException {
        ArtifactStore store = store();
        byte[] small = "hello tiles".getBytes(StandardCharsets.UTF_8);
        assertThat(store.exists("a/b/c.txt")).isFalse();
        assertThat(store.size("a/b/c.txt")).isEmpty();
        assertThat(store.put("a/b/c.txt", small)).isEqualTo(small.length);
        assertThat(store.readAllBytes("a/b/c.txt")).isEqualTo(small);
        assertThat(store.size("a/b/c.txt")).hasValue(small.length);
        assertThat(store.exists("a/b/c.txt")).isTrue();

        // larger than one part, known length: multipart on S3
        byte[] big = random(12 * 1024 * 1024 + 17, 1);
        assertThat(store.put("a/b/c.txt", new ByteArrayInputStream(big), big.length))
                .isEqualTo(big.length);
        assertThat(store.readAllBytes("a/b/c.txt")).isEqualTo(big);
        // exactly one part long, unknown length
        byte[] onePart = random(S3ArtifactStore.MIN_PART_SIZE, 2);
        store.put("exact", new ByteArrayInputStream(onePart), -1);
        assertThat(store.readAllBytes("exact")).isEqualTo(onePart);
        // empty object
        store.put("empty", new byte[0]);
        assertThat(store.size("empty")).hasValue(0);
        assertThat(store.readAllBytes("empty")).isEmpty();

        assertThatThrownBy(() -> store.get("no/such")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void rangeReads() throws IOException {
        ArtifactStore store = store();
        byte[] data = random(300_000, 3);
        store.put("tiles/x.npy", data);
        long[][] ranges = {
            {0, 1}, {0, 128}, {1000, 49152}, {299_990, 10}, {299_990, 100}, {12_345, 0}, {300_000, 5}, {400_000, 5}
        };
        for (long[] r : ranges) {
            int from = (int) Math.min(r[0], data.length);
            int to = (int) Math.min(r[0] + r[1], data.length);
            try (InputStream in = store.getRange("tiles/x.npy", r[0], r[1])) {
                assertThat(in.readAllBytes())
                        .as("range %d+%d", r[0], r[1])
                        .isEqualTo(Arrays.copyOfRange(data, from, to));
            }
        }
        assertThatThrownBy(() -> store.getRange("tiles/none.npy", 0, 10)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void largeStreamingUploadInASmallHeap() throws Exception {
        ArtifactStore store = store();
        long bytes = 64L * 1024 * 1024;
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx40m",
                "-cp",
                classPath(),
                LargeUploadMain.class.getName()));
        cmd.addAll(childArgs("big/generated.bin", bytes));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(childEnv());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("stored " + bytes);
        assertThat(maxHeap(out)).isLessThan(bytes);
        String sha = out.lines()
                .filter(l -> l.startsWith("sha256 "))
                .findFirst()
                .orElseThrow()
                .substring(7);
        assertThat(store.size("big/generated.bin")).hasValue(bytes);
        assertThat(Hashes.of(store.get("big/generated.bin"))).isEqualTo(sha);
        // a range in the middle of a part boundary
        byte[] whole;
        try (InputStream in = store.getRange("big/generated.bin", S3ArtifactStore.MIN_PART_SIZE - 10, 20)) {
            whole = in.readAllBytes();
        }
        assertThat(whole).hasSize(20);
    }

    private static long maxHeap(String out) {
        return Long.parseLong(out.lines()
                .filter(l -> l.startsWith("max-heap "))
                .findFirst()
                .orElseThrow()
                .substring(9));
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** A stream that fails after {@code n} bytes, like a client that disconnects mid-upload. */
    static InputStream failingAfter(byte[] data, int n) {
        return new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos >= n) {
                    throw new IOException("client went away");
                }
                return data[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= n) {
                    throw new IOException("client went away");
                }
                int k = Math.min(len, n - pos);
                System.arraycopy(data, pos, b, off, k);
                pos += k;
                return k;
            }
        };
    }

    @Test
    void aFailedUploadLeavesNoObjectAndKeepsTheOldOne() throws IOException {
        ArtifactStore store = store();
        byte[] data = random(13 * 1024 * 1024, 4);
        // fails in the first part, and after two parts (multipart on S3: aborted)
        for (int failAt : new int[] {1000, 11 * 1024 * 1024}) {
            assertThatThrownBy(() -> store.put("up/new.bin", failingAfter(data, failAt), -1))
                    .isInstanceOf(IOException.class);
            assertThat(store.exists("up/new.bin")).isFalse();
        }
        // declared length not met (short and long streams), small and multipart
        assertThatThrownBy(() -> store.put("up/new.bin", new ByteArrayInputStream(data, 0, 100), 200))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.put("up/new.bin", new ByteArrayInputStream(data), data.length - 1))
                .isInstanceOf(IOException.class);
        assertThat(store.exists("up/new.bin")).isFalse();
        assertThat(store.list("up/")).isEmpty();

        byte[] old = random(1000, 5);
        store.put("up/old.bin", old);
        assertThatThrownBy(() -> store.put("up/old.bin", failingAfter(data, 11 * 1024 * 1024), -1))
                .isInstanceOf(IOException.class);
        assertThat(store.readAllBytes("up/old.bin")).isEqualTo(old);
        assertThat(store.list("")).extracting(ArtifactStore.ArtifactObject::key).containsExactly("up/old.bin");
    }

    @Test
    void listByPrefixDeleteAndCopy() throws IOException {
        ArtifactStore store = store();
        store.put("a/1", new byte[] {1});
        store.put("a/2", new byte[] {1, 2});
        store.put("a/b/3", new byte[] {1, 2, 3});
        store.put("ab/4", new byte[] {1, 2, 3, 4});
        store.put("z", new byte[0]);
        assertThat(store.list("a/"))
                .containsExactly(
                        new ArtifactStore.ArtifactObject("a/1", 1),
                        new ArtifactStore.ArtifactObject("a/2", 2),
                        new ArtifactStore.ArtifactObject("a/b/3", 3));
        assertThat(store.list("a"))
                .extracting(ArtifactStore.ArtifactObject::key)
                .containsExactly("a/1", "a/2", "a/b/3", "ab/4");
        assertThat(store.list("")).hasSize(5);
        assertThat(store.list("nothing/")).isEmpty();

        store.copy("a/b/3", "c/copied");
        assertThat(store.readAllBytes("c/copied")).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> store.copy("no/such", "c/x")).isInstanceOf(NoSuchFileException.class);

        assertThat(store.delete("a/b")).as("a prefix is no object").isFalse();
        assertThat(store.delete("a/1")).isTrue();
        assertThat(store.delete("a/1")).isFalse();
        assertThat(store.deletePrefix("a/")).isEqualTo(2);
        assertThat(store.list(""))
                .extracting(ArtifactStore.ArtifactObject::key)
                .containsExactly("ab/4", "c/copied", "z");
    }

    @Test
    void keysMayNotLeaveTheStore() {
        ArtifactStore store = store();
        for (String bad : new String[] {"../x", "a/../../x", "/abs", "a//b", "a/./b", "a\\b", "", "dir/"}) {
            assertThatThrownBy(() -> store.put(bad, new byte[] {1}))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void concurrentWritesNeverMixObjects() throws Exception {
        ArtifactStore store = store();
        int writers = 6;
        byte[][] contents = new byte[writers][];
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < writers; i++) {
            contents[i] = random(6 * 1024 * 1024 + i, 100 + i); // two parts each on S3
            hashes.add(Hashes.of(new ByteArrayInputStream(contents[i])));
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int w = i;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < 5; k++) {
                        store.put("own/" + w + "/" + k, ("w" + w + "k" + k).getBytes(StandardCharsets.UTF_8));
                    }
                    store.put("shared.bin", new ByteArrayInputStream(contents[w]), -1);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("own/")).hasSize(writers * 5);
        assertThat(store.readAllBytes("own/3/4")).isEqualTo("w3k4".getBytes(StandardCharsets.UTF_8));
        // the shared key holds one writer's complete object, never a mix
        assertThat(hashes).contains(Hashes.of(store.get("shared.bin")));
        assertThat(store.list(""))
                .extracting(ArtifactStore.ArtifactObject::key)
                .doesNotContain(".upload-")
                .hasSize(writers * 5 + 1);
    }

    @Test
    void cacheServesRangesAndWholeObjectsWithinItsBound() throws IOException {
        ArtifactStore raw = store();
        Path dir = java.nio.file.Files.createTempDirectory("artifact-cache-test");
        ArtifactCache cache = new ArtifactCache(raw, dir, 100_000);
        ArtifactStore store = raw instanceof LocalArtifactStore ? raw : new InvalidatingStore(raw, cache);
        byte[] data = random(60_000, 6);
        store.put("t/thumb.png", data);
        assertThat(cache.read("t/thumb.png")).isEqualTo(data);
        assertThat(cache.read("t/thumb.png")).isEqualTo(data);
        assertThat(cache.readRange("t/thumb.png", 100, 50)).isEqualTo(Arrays.copyOfRange(data, 100, 150));
        assertThat(java.nio.file.Files.readAllBytes(cache.localFile("t/thumb.png")))
                .isEqualTo(data);
        byte[] changed = random(60_000, 7);
        store.put("t/thumb.png", changed);
        assertThat(cache.read("t/thumb.png")).isEqualTo(changed);
        store.put("t/other.png", random(70_000, 8));
        cache.read("t/other.png");
        assertThat(cache.size()).isLessThanOrEqualTo(100_000);
    }
}
