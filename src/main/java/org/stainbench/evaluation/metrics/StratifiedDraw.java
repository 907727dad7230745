package org.stainbench.evaluation.metrics;

import java.util.Arrays;

/**
 * Tile rule "random patient-stratified tiles per seed": {@code k} of a side's eligible tiles, drawn at random for
 * each seed, stratified by patient. Pure; {@code src/test/python/bootstrap_reference.py} re-implements it.
 * <p><b>Allocation</b> (proportional, largest remainder): with {@code n_p} eligible tiles of patient p (patients in
 * a fixed order) and N = sum n_p, patient p gets {@code floor(k n_p / N)} tiles; the {@code k - sum} tiles left go
 * one each to the patients with the largest remainders {@code (k n_p) mod N} (ties: the earlier patient).
 * <p><b>Stream</b>: one {@link SplitMix64} seeded with {@code seed XOR 0x74696C6573} (ASCII "tiles", so the draw
 * is not the same stream as the seed's KID subsets and crops); for each patient in order,
 * {@link SplitMix64#sampleWithoutReplacement}{@code (n_p, k_p)}, the drawn positions sorted ascending (positions
 * in that patient's eligible tiles, in their fixed order).
 */
public final class StratifiedDraw {

    /** XORed into the seed. */
    public static final long SALT = 0x74696C6573L;

    private StratifiedDraw() {}

    /** Tiles per patient (see the class comment). */
    public static int[] allocate(int[] perPatient, int k) {
        long total = 0;
        for (int n : perPatient) {
            if (n < 0) {
                throw new IllegalArgumentException("a negative tile count");
            }
            total += n;
        }
        if (k < 0 || k > total) {
            throw new IllegalArgumentException("cannot draw " + k + " tiles from " + total + " eligible tiles");
        }
        int[] out = new int[perPatient.length];
        long[] rem = new long[perPatient.length];
        int given = 0;
        for (int p = 0; p < perPatient.length; p++) {
            long x = (long) k * perPatient[p];
            out[p] = (int) (x / total);
            rem[p] = x % total;
            given += out[p];
        }
        Integer[] order = new Integer[perPatient.length];
        for (int p = 0; p < order.length; p++) {
            order[p] = p;
        }
        Arrays.sort(order, (a, b) -> rem[a] != rem[b] ? Long.compare(rem[b], rem[a]) : Integer.compare(a, b));
        for (int i = 0; given < k; i++) {
            out[order[i]]++;
            given++;
        }
        return out;
    }

    /** Per patient, the drawn positions among its eligible tiles (ascending). */
    public static int[][] draw(long seed, int[] perPatient, int k) {
        int[] alloc = allocate(perPatient, k);
        SplitMix64 rng = new SplitMix64(seed ^ SALT);
        int[][] out = new int[perPatient.length][];
        for (int p = 0; p < perPatient.length; p++) {
            int[] d = rng.sampleWithoutReplacement(perPatient[p], alloc[p]);
            Arrays.sort(d);
            out[p] = d;
        }
        return out;
    }
}
