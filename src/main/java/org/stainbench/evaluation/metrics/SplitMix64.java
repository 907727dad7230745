package org.stainbench.evaluation.metrics;

/**
 * The seeded random stream behind every random draw of the metrics (KID subsets, crop positions) and of the review
 * bootstraps ({@code review.stats}, which reaches it through the named interface {@code evaluation :: metrics}).
 * It is SplitMix64 (Steele, Lea and Flood 2014; the constants of Vigna's reference {@code splitmix64.c}),
 * spelled out here so that a number can be reproduced from its seed in any language
 * ({@code src/test/python/metrics_reference.py} re-implements it and the tests check both agree):
 * <pre>
 *   state = seed
 *   next64():  state += 0x9E3779B97F4A7C15
 *              z = state
 *              z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *              z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *              return z ^ (z >>> 31)                    (all arithmetic modulo 2^64)
 *   nextInt(bound), 0 < bound < 2^31:
 *              repeat: bits = next64() >>> 33  (31 bits);  value = bits % bound
 *              until bits - value + (bound - 1) < 2^31   (rejects the incomplete last block: unbiased)
 *              return value
 * </pre>
 * Not thread-safe; each computation draws everything it needs up front, in a fixed order, so results do not
 * depend on threads.
 */
public final class SplitMix64 {

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        while (true) {
            int bits = (int) (nextLong() >>> 33);
            int value = bits % bound;
            if (bits - value + (bound - 1) >= 0) {
                return value;
            }
        }
    }

    /**
     * {@code k} distinct indices from [0, n), in draw order: the first k entries of a Fisher–Yates shuffle of
     * 0..n-1 run forwards (for i = 0..k-1: j = i + nextInt(n - i); swap(i, j)), starting from the identity.
     */
    public int[] sampleWithoutReplacement(int n, int k) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot draw " + k + " distinct indices from " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + nextInt(n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return java.util.Arrays.copyOf(a, k);
    }
}
