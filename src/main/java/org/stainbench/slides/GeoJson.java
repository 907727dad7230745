package org.stainbench.slides;

import java.util.ArrayList;
import java.util.List;
import org.stainbench.slides.tiling.Regions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads annotations as QuPath exports them: a FeatureCollection, a single Feature, or a list of Features,
 * each with a Polygon or MultiPolygon geometry in level-0 pixel coordinates and the class name in
 * {@code properties.classification.name} (or {@code properties.name}, else "unclassified"). Anything else
 * (points, lines, a geometry without polygons) is refused with the feature's position.
 */
final class GeoJson {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private GeoJson() {}

    static List<Regions.Polygon> parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The annotations are not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException("The annotations file is empty.");
        }
        List<JsonNode> features = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(features::add);
        } else if ("FeatureCollection".equals(root.path("type").asString(""))) {
            root.path("features").forEach(features::add);
        } else if ("Feature".equals(root.path("type").asString(""))) {
            features.add(root);
        } else {
            throw new IllegalArgumentException(
                    "The annotations are not GeoJSON features (expected a FeatureCollection or Feature, got type '"
                            + root.path("type").asString("none") + "').");
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("The annotations hold no features.");
        }
        List<Regions.Polygon> out = new ArrayList<>();
        int i = 0;
        for (JsonNode f : features) {
            i++;
            if (!"Feature".equals(f.path("type").asString(""))) {
                throw new IllegalArgumentException("Item " + i + " is not a GeoJSON Feature.");
            }
            String cls = className(f.path("properties"));
            JsonNode g = f.path("geometry");
            String type = g.path("type").asString("");
            switch (type) {
                case "Polygon" -> out.add(polygon(cls, g.path("coordinates"), i));
                case "MultiPolygon" -> {
                    for (JsonNode p : g.path("coordinates")) {
                        out.add(polygon(cls, p, i));
                    }
                }
                default -> throw new IllegalArgumentException(
                        "Feature " + i + " is a " + (type.isEmpty() ? "feature without geometry" : type)
                                + ", not a Polygon or MultiPolygon: only polygons can be imported.");
            }
        }
        return out;
    }

    private static String className(JsonNode props) {
        String c = props.path("classification").path("name").asString("");
        if (c.isBlank()) {
            c = props.path("name").asString("");
        }
        c = c.isBlank() ? "unclassified" : c.trim();
        return c.length() > 100 ? c.substring(0, 100) : c;
    }

    private static Regions.Polygon polygon(String cls, JsonNode rings, int feature) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw new IllegalArgumentException("Feature " + feature + " has a polygon without coordinates.");
        }
        List<double[]> rs = new ArrayList<>();
        for (JsonNode ring : rings) {
            if (!ring.isArray() || ring.size() < 4) {
                throw new IllegalArgumentException("Feature " + feature + " has a ring with fewer than 4 positions.");
            }
            double[] r = new double[ring.size() * 2];
            int k = 0;
            for (JsonNode pt : ring) {
                if (!pt.isArray()
                        || pt.size() < 2
                        || !pt.get(0).isNumber()
                        || !pt.get(1).isNumber()) {
                    throw new IllegalArgumentException("Feature " + feature + " has a position that is not [x, y].");
                }
                r[k++] = pt.get(0).asDouble();
                r[k++] = pt.get(1).asDouble();
            }
            rs.add(r);
        }
        return Regions.Polygon.of(cls, rs);
    }

    static String ringsJson(Regions.Polygon p) {
        return JSON.writeValueAsString(p.rings());
    }

    static Regions.Polygon fromRings(String cls, String json) {
        double[][] rings = JSON.readValue(json, double[][].class);
        return Regions.Polygon.of(cls, List.of(rings));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
