package org.stainbench.training;

import java.util.Arrays;

/**
 * Min/max reduction of a metric curve per pixel bucket, as the run page and the compare view draw it: the step range
 * [from, to] is cut into {@code width} buckets (bucket of a point: {@code (step - from) * width / (to - from + 1)},
 * integer division) and each bucket keeps the points of its smallest and of its largest finite value (the first of
 * equals; a bucket of only NaN/±∞ keeps its first point), in step order. A line through the kept points covers the
 * same pixels as one through all of them, so peaks and dips survive; a curve of at most {@code 2 × width} points is
 * returned whole (exact, e.g. when zoomed in). Pure; checked against numpy in {@code DownsampleTest}.
 */
final class Downsample {

    /** The widest chart asked for, in pixels (buckets): at most {@code 2 × MAX_WIDTH} points per curve. */
    static final int MAX_WIDTH = 1000;

    private Downsample() {}

    /** A curve as parallel arrays, in step order; {@code values} NaN for a logged NaN. */
    record Series(long[] steps, double[] values) {

        int size() {
            return steps.length;
        }

        Series pick(int[] indices) {
            long[] s = new long[indices.length];
            double[] v = new double[indices.length];
            for (int i = 0; i < indices.length; i++) {
                s[i] = steps[indices[i]];
                v[i] = values[indices[i]];
            }
            return new Series(s, v);
        }
    }

    /** Collects a curve point by point. */
    static final class Builder {
        private long[] steps = new long[256];
        private double[] values = new double[256];
        private int n;

        void add(long step, double value) {
            if (n == steps.length) {
                steps = Arrays.copyOf(steps, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            steps[n] = step;
            values[n++] = value;
        }

        Series build() {
            return new Series(Arrays.copyOf(steps, n), Arrays.copyOf(values, n));
        }
    }

    /** {@code series} (steps within [from, to], in order) reduced to at most {@code 2 × width} points. */
    static Series reduce(Series series, long from, long to, int width) {
        if (series.size() <= 2L * width) {
            return series;
        }
        return series.pick(minMax(series.steps(), series.values(), from, to, width));
    }

    /** The indices kept by the min/max reduction, ascending (see the class comment). */
    static int[] minMax(long[] steps, double[] values, long from, long to, int width) {
        if (width < 1 || to < from) {
            throw new IllegalArgumentException("width must be at least 1 and from <= to");
        }
        int[] out = new int[Math.min(steps.length, 2 * width)];
        int n = 0;
        int i = 0;
        double span = (double) to - from + 1;
        while (i < steps.length) {
            long bucket = bucket(steps[i], from, to, width, span);
            int first = i;
            int min = -1;
            int max = -1;
            while (i < steps.length && bucket(steps[i], from, to, width, span) == bucket) {
                double v = values[i];
                if (Double.isFinite(v)) {
                    if (min < 0 || v < values[min]) {
                        min = i;
                    }
                    if (max < 0 || v > values[max]) {
                        max = i;
                    }
                }
                i++;
            }
            if (min < 0) {
                out[n++] = first;
            } else if (min == max) {
                out[n++] = min;
            } else {
                out[n++] = Math.min(min, max);
                out[n++] = Math.max(min, max);
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static long bucket(long step, long from, long to, int width, double span) {
        long offset = step - from;
        long range = to - from + 1;
        if (offset >= 0 && range > 0 && offset < Long.MAX_VALUE / width) {
            return Math.min(width - 1, offset * width / range);
        }
        return Math.max(0, Math.min(width - 1, (long) Math.floor(offset * (width / span))));
    }
}
