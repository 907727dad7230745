package org.stainbench.slides.tiling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Annotated polygons (level-0 pixel coordinates, as QuPath exports them) and the class covering most of a
 * tile. The area of a polygon inside a rectangle is exact: each ring is clipped to the rectangle
 * (Sutherland–Hodgman; exact for a convex clip window) and measured with the shoelace formula, holes
 * subtracted.
 */
public final class Regions {

    /** One polygon: {@code rings[0]} is the outer ring, the rest are holes; each ring is {x0, y0, x1, y1, …}. */
    public record Polygon(String className, List<double[]> rings, double minX, double minY, double maxX, double maxY) {

        public Polygon {
            if (rings.isEmpty() || rings.get(0).length < 6) {
                throw new IllegalArgumentException("A polygon needs an outer ring of at least 3 points.");
            }
            rings = List.copyOf(rings);
        }

        public static Polygon of(String className, List<double[]> rings) {
            double[] outer = rings.get(0);
            double x0 = Double.POSITIVE_INFINITY;
            double y0 = Double.POSITIVE_INFINITY;
            double x1 = Double.NEGATIVE_INFINITY;
            double y1 = Double.NEGATIVE_INFINITY;
            for (int i = 0; i + 1 < outer.length; i += 2) {
                x0 = Math.min(x0, outer[i]);
                x1 = Math.max(x1, outer[i]);
                y0 = Math.min(y0, outer[i + 1]);
                y1 = Math.max(y1, outer[i + 1]);
            }
            return new Polygon(className, rings, x0, y0, x1, y1);
        }

        /** Area of this polygon (outer minus holes) inside the rectangle. */
        public double areaIn(double rx0, double ry0, double rx1, double ry1) {
            if (maxX <= rx0 || minX >= rx1 || maxY <= ry0 || minY >= ry1) {
                return 0;
            }
            double a = Math.abs(area(clip(rings.get(0), rx0, ry0, rx1, ry1)));
            for (int i = 1; i < rings.size(); i++) {
                a -= Math.abs(area(clip(rings.get(i), rx0, ry0, rx1, ry1)));
            }
            return Math.max(0, a);
        }
    }

    /** The class covering most of a tile, and the fraction of the tile covered by any polygon. */
    public record Coverage(String className, double classFraction, double coveredFraction) {
        public static final Coverage NONE = new Coverage(null, 0, 0);
    }

    private final List<Polygon> polygons;

    public Regions(List<Polygon> polygons) {
        this.polygons = List.copyOf(polygons);
    }

    public List<Polygon> polygons() {
        return polygons;
    }

    public boolean isEmpty() {
        return polygons.isEmpty();
    }

    /** Coverage of the rectangle [x, x + w) × [y, y + h) (level-0 coordinates). */
    public Coverage coverage(double x, double y, double w, double h) {
        Map<String, Double> byClass = new LinkedHashMap<>();
        double total = 0;
        for (Polygon p : polygons) {
            double a = p.areaIn(x, y, x + w, y + h);
            if (a > 0) {
                byClass.merge(p.className(), a, Double::sum);
                total += a;
            }
        }
        if (byClass.isEmpty()) {
            return Coverage.NONE;
        }
        String best = null;
        double bestArea = -1;
        for (Map.Entry<String, Double> e : byClass.entrySet()) {
            if (e.getValue() > bestArea) {
                best = e.getKey();
                bestArea = e.getValue();
            }
        }
        double area = w * h;
        return new Coverage(best, Math.min(1, bestArea / area), Math.min(1, total / area));
    }

    /** Signed shoelace area of a ring {x0, y0, x1, y1, …} (closing point optional). */
    public static double area(double[] ring) {
        int n = ring.length / 2;
        double s = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            s += ring[2 * i] * ring[2 * j + 1] - ring[2 * j] * ring[2 * i + 1];
        }
        return s / 2;
    }

    /** Sutherland–Hodgman clipping of a ring by an axis-aligned rectangle. */
    static double[] clip(double[] ring, double x0, double y0, double x1, double y1) {
        double[] r = ring;
        r = clipEdge(r, 0, x0, true);
        r = clipEdge(r, 0, x1, false);
        r = clipEdge(r, 1, y0, true);
        r = clipEdge(r, 1, y1, false);
        return r;
    }

    private static double[] clipEdge(double[] ring, int axis, double bound, boolean keepAbove) {
        int n = ring.length / 2;
        if (n == 0) {
            return ring;
        }
        List<Double> out = new ArrayList<>(ring.length + 8);
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double ax = ring[2 * i];
            double ay = ring[2 * i + 1];
            double bx = ring[2 * j];
            double by = ring[2 * j + 1];
            double av = axis == 0 ? ax : ay;
            double bv = axis == 0 ? bx : by;
            boolean ain = keepAbove ? av >= bound : av <= bound;
            boolean bin = keepAbove ? bv >= bound : bv <= bound;
            if (ain) {
                out.add(ax);
                out.add(ay);
            }
            if (ain != bin) {
                double t = (bound - av) / (bv - av);
                out.add(ax + t * (bx - ax));
                out.add(ay + t * (by - ay));
            }
        }
        double[] r = new double[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }
}
