package org.stainbench.evaluation.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Patient-level bootstrap of a metric between a real side and one or more generated sides: patients are resampled
 * with replacement, each drawn patient bringing all of its rows (tiles, or crops of its tiles), and the metric is
 * recomputed on every resample; the interval is the percentile interval of the resampled values. Pure; tested
 * against {@code src/test/python/bootstrap_reference.py}, which re-implements the stream below with numpy.
 * <p><b>Resampling stream</b> ({@link #plan}): one {@link SplitMix64} seeded with the bootstrap seed; for
 * b = 0..B-1 in order: {@code P_real} draws {@code nextInt(P_real)} (the real side's patients), then
 * {@code P_gen} draws {@code nextInt(P_gen)} (the generated sides' patients). All generated sides share the
 * generated draws (they are sets of the same source patients), so two checkpoints are compared on the same
 * resamples: the paired difference.
 * <p><b>A resample's rows</b> ({@link #resample}): for patient p = 0..P-1 in order, {@code count[p]} copies of that
 * patient's rows in their original order (a patient drawn k times appears k times).
 * <p><b>Interval</b> ({@link #percentile}): numpy's default ("linear") percentile of the B values at
 * {@code 100 (1 - level) / 2} and {@code 100 (1 + level) / 2}.
 */
public final class PatientBootstrap {

    /** Level of the intervals. */
    public static final double LEVEL = 0.95;
    /** Most resamples allowed. */
    public static final int MAX_RESAMPLES = 10_000;

    private PatientBootstrap() {}

    /**
     * One side: its rows and, per row, the index of its patient in 0..patients-1 (a patient may have no rows on this
     * side, e.g. a generated set that lacks one of the source's patients: drawing it adds nothing).
     */
    public record Side(Features features, int[] patient, int patients) {
        public Side {
            if (patient.length != features.samples()) {
                throw new IllegalArgumentException(
                        patient.length + " patient labels for " + features.samples() + " rows");
            }
            for (int p : patient) {
                if (p < 0 || p >= patients) {
                    throw new IllegalArgumentException("patient index " + p + " outside 0.." + (patients - 1));
                }
            }
            patient = patient.clone();
        }
    }

    /** A metric of a real and a generated feature set (e.g. FID). */
    public interface Statistic {
        double of(Features real, Features generated);
    }

    /** Per resample, how often each real patient and each generated patient was drawn. */
    public record Plan(long seed, int[][] real, int[][] generated) {
        public int resamples() {
            return real.length;
        }
    }

    /** A percentile interval of {@code resamples} values. */
    public record Interval(double low, double high, int resamples, double level) {
        /** True when the interval contains 0 (a difference within the noise). */
        public boolean containsZero() {
            return low <= 0.0 && high >= 0.0;
        }
    }

    /** The resampling stream (see the class comment). */
    public static Plan plan(long seed, int resamples, int realPatients, int generatedPatients) {
        if (resamples < 1 || resamples > MAX_RESAMPLES) {
            throw new IllegalArgumentException(
                    "bootstrap resamples must be between 1 and " + MAX_RESAMPLES + ", got " + resamples);
        }
        if (realPatients < 1 || generatedPatients < 1) {
            throw new IllegalArgumentException("each side needs at least one patient");
        }
        SplitMix64 rng = new SplitMix64(seed);
        int[][] real = new int[resamples][realPatients];
        int[][] gen = new int[resamples][generatedPatients];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < realPatients; i++) {
                real[b][rng.nextInt(realPatients)]++;
            }
            for (int i = 0; i < generatedPatients; i++) {
                gen[b][rng.nextInt(generatedPatients)]++;
            }
        }
        return new Plan(seed, real, gen);
    }

    /** The rows of one resample (see the class comment). */
    public static Features resample(Side side, int[] counts) {
        if (counts.length != side.patients()) {
            throw new IllegalArgumentException(counts.length + " counts for " + side.patients() + " patients");
        }
        Features f = side.features();
        int[] perPatient = new int[side.patients()];
        for (int p : side.patient()) {
            perPatient[p]++;
        }
        int total = 0;
        for (int p = 0; p < counts.length; p++) {
            total += counts[p] * perPatient[p];
        }
        int[] rows = new int[total];
        int k = 0;
        int[][] byPatient = new int[side.patients()][];
        for (int p = 0; p < side.patients(); p++) {
            byPatient[p] = new int[perPatient[p]];
        }
        int[] fill = new int[side.patients()];
        for (int i = 0; i < side.patient().length; i++) {
            int p = side.patient()[i];
            byPatient[p][fill[p]++] = i;
        }
        for (int p = 0; p < counts.length; p++) {
            for (int c = 0; c < counts[p]; c++) {
                System.arraycopy(byPatient[p], 0, rows, k, byPatient[p].length);
                k += byPatient[p].length;
            }
        }
        return f.rows(rows);
    }

    /**
     * The statistic on every resample: {@code values[g][b]} for generated side g. Resamples run in parallel on the
     * metrics threads (at most {@code threads}); each value depends only on its resample, so the result does not
     * depend on the number of threads.
     */
    public static double[][] values(Side real, List<Side> generated, Plan plan, Statistic stat, int threads) {
        for (Side g : generated) {
            if (g.patients() != plan.generated()[0].length) {
                throw new IllegalArgumentException("every generated side must have the plan's "
                        + plan.generated()[0].length + " patients, one has " + g.patients());
            }
        }
        if (real.patients() != plan.real()[0].length) {
            throw new IllegalArgumentException(
                    "the real side has " + real.patients() + " patients, the plan " + plan.real()[0].length);
        }
        int gs = generated.size();
        double[][] out = new double[gs][plan.resamples()];
        Parallel.forEach(plan.resamples() * gs, threads, (item, slot) -> {
            int b = item / gs;
            int g = item % gs;
            Features r = resample(real, plan.real()[b]);
            Features x = resample(generated.get(g), plan.generated()[b]);
            if (r.samples() < 2 || x.samples() < 2) {
                throw new IllegalArgumentException("bootstrap resample " + b + " has fewer than 2 rows on a side");
            }
            double v = stat.of(r, x);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("bootstrap resample " + b + " gave " + v);
            }
            out[g][b] = v;
        });
        return out;
    }

    /** FID as a bootstrap statistic. */
    public static double fid(Features real, Features generated) {
        return Fid.compute(real, generated).value();
    }

    /**
     * KID mean as a bootstrap statistic: subsets as {@link Kid#compute} with the given seed, of
     * {@code min(subsetSize, real rows, generated rows)} samples (a resample can have fewer rows than the subset).
     */
    public static Statistic kidMean(int subsets, int subsetSize, long seed) {
        return (r, g) -> Kid.compute(
                        r,
                        g,
                        new Kid.Params(
                                subsets, Math.max(2, Math.min(subsetSize, Math.min(r.samples(), g.samples()))), seed))
                .mean();
    }

    /** A distance of one-dimensional samples (column 0), e.g. {@link StainDistances#wasserstein1}. */
    public interface ScalarDistance {
        double of(double[] u, double[] v);
    }

    public static Statistic scalar(ScalarDistance d) {
        return (r, g) -> d.of(column0(r), column0(g));
    }

    private static double[] column0(Features f) {
        double[] out = new double[f.samples()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.get(i, 0);
        }
        return out;
    }

    /** numpy's default (linear) percentile interval at the level. */
    public static Interval percentile(double[] values, double level) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no bootstrap values");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return new Interval(quantile(s, (1 - level) / 2), quantile(s, (1 + level) / 2), values.length, level);
    }

    /** numpy.quantile(method="linear") of sorted values: index q (n - 1), linear between neighbours. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double t = pos - lo;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        // numpy's _lerp: a + (b - a) t, computed from the upper end when t >= 0.5
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    /** The paired difference a[b] - c[b] over the same resamples, and its percentile interval. */
    public static Interval difference(double[] a, double[] c, double level) {
        if (a.length != c.length) {
            throw new IllegalArgumentException(
                    "paired values need the same resamples: " + a.length + " and " + c.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - c[i];
        }
        return percentile(d, level);
    }
}
