package org.stainbench.review.stats;

/**
 * The seeded stream behind the review bootstraps ({@link ItemBootstrap}, {@link ClusterBootstrap}): SplitMix64
 * (Steele, Lea and Flood 2014; the constants of Vigna's {@code splitmix64.c}), the same stream as the evaluation
 * module's metrics (a module does not reach into another's internals, so it is spelled out again here):
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
 * {@code src/test/python/review_bootstrap_reference.py} re-implements it with Python integers. Not thread-safe.
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
}
