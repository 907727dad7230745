package org.stainbench.evaluation.metrics;

/**
 * A feature matrix: {@code n} samples of dimension {@code d}, row-major float64 ({@code data[i * d + k]}).
 * Construction checks the shape and that every value is finite, so no metric ever sees a NaN or infinity.
 * The array is owned by this object: factories copy their input, and metrics never modify it.
 */
public final class Features {

    private final int n;
    private final int d;
    private final double[] data;

    private Features(int n, int d, double[] data, String what) {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException(
                    what + ": a feature matrix needs at least one sample and one" + " dimension, got " + n + " x " + d);
        }
        if ((long) n * d != data.length) {
            throw new IllegalArgumentException(
                    what + ": " + data.length + " values do not make a " + n + " x " + d + " matrix");
        }
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalArgumentException(what + ": feature value at sample " + (i / d) + ", dimension "
                        + (i % d) + " is " + data[i] + "; features must be finite");
            }
        }
        this.n = n;
        this.d = d;
        this.data = data;
    }

    /** Copies row-major float64 values. {@code what} names the set in error messages (e.g. "real"). */
    public static Features of(String what, int n, int d, double[] rowMajor) {
        return new Features(n, d, rowMajor.clone(), what);
    }

    /** Widens row-major float32 values to float64. */
    public static Features ofFloats(String what, int n, int d, float[] rowMajor) {
        double[] a = new double[rowMajor.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = rowMajor[i];
        }
        return new Features(n, d, a, what);
    }

    /** Copies rows given as arrays (all of the same length). */
    public static Features ofRows(String what, double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException(what + ": no samples");
        }
        int d = rows[0].length;
        double[] a = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException(
                        what + ": sample " + i + " has " + rows[i].length + " dimensions, sample 0 has " + d);
            }
            System.arraycopy(rows[i], 0, a, i * d, d);
        }
        return new Features(rows.length, d, a, what);
    }

    /**
     * Takes ownership of a row-major float64 array without copying (for large feature files): the caller must
     * not change the array afterwards.
     */
    public static Features adopt(String what, int n, int d, double[] rowMajor) {
        return new Features(n, d, rowMajor, what);
    }

    public int samples() {
        return n;
    }

    public int dimension() {
        return d;
    }

    /** One value (for tests and small uses). */
    public double get(int sample, int dim) {
        return data[sample * d + dim];
    }

    /** The backing array; package-private because callers must not modify it. */
    double[] data() {
        return data;
    }

    /** A new feature set of the given rows, in that order (rows may repeat). */
    public Features subset(int[] indices) {
        return rows(indices);
    }

    /** A new feature set of the given rows, in that order. */
    Features rows(int[] indices) {
        double[] a = new double[indices.length * d];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data, indices[i] * d, a, i * d, d);
        }
        return new Features(indices.length, d, a, "subset");
    }

    static void requireSameDimension(Features a, Features b) {
        if (a.d != b.d) {
            throw new IllegalArgumentException("feature dimensions differ: " + a.n + " x " + a.d + " and " + b.n + " x "
                    + b.d + "; both sets must come from the same extractor");
        }
    }
}
