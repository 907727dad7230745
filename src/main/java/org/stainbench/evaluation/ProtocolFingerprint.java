package org.stainbench.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.stainbench.shell.Sha256;

/**
 * An evaluation's protocol fingerprint: the SHA-256 of a canonical text ({@code key=value} lines in a fixed order) of
 * everything that decides whether two evaluations' numbers may be compared: the tile rule and counts, the hashes of
 * the selected real and generated tile lists (for the random rule: of the eligible tiles, from which the seeds and the
 * recorded stream determine each seed's draw), the extractor's SHA-256 and preprocessing, the crops, the KID settings
 * and the seeds. Not in it: the evaluation's name, who ran it, the batch size, the compared checkpoints. Pure.
 */
public final class ProtocolFingerprint {

    /** Bumped when the canonical text changes meaning (old and new fingerprints then never compare). */
    static final String VERSION = "1";
    /** A tile list that could not be established (e.g. an evaluation made before fingerprints, archives added since). */
    static final String NOT_RECORDED = "not recorded";
    /** The keys of an imported sheet's protocol columns that enter its fingerprint. */
    static final List<String> IMPORTED_KEYS = ResultsSheet.PROTOCOL;

    private ProtocolFingerprint() {}

    /** The canonical text of a computed evaluation. */
    static String computed(
            Protocol p, String realTiles, String generatedTiles, String extractorSha256, String preprocessing) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fingerprint_version", VERSION);
        m.put("origin", "computed by Stainbench");
        m.put("tile_selection", p.tileRule().text());
        if (p.random()) {
            m.put("tile_stream", Protocol.RANDOM_STREAM);
        }
        m.put("tiles_per_side", Integer.toString(p.tilesPerSide()));
        m.put("archives_per_side", Integer.toString(p.archives()));
        m.put("real_tiles", realTiles == null ? NOT_RECORDED : realTiles);
        m.put("generated_tiles", generatedTiles == null ? NOT_RECORDED : generatedTiles);
        m.put("extractor_sha256", extractorSha256 == null ? NOT_RECORDED : extractorSha256);
        m.put("preprocessing", preprocessing == null ? NOT_RECORDED : preprocessing);
        m.put("crop_size", Integer.toString(p.cropSize()));
        m.put("crops_per_tile", Integer.toString(p.cropsPerTile()));
        m.put("kid_estimator", "unbiased MMD^2, kernel (x.y/d+1)^3");
        m.put("kid_subsets", Integer.toString(p.kidSubsets()));
        m.put("kid_subset_size", Integer.toString(p.kidSubsetSize()));
        m.put("seeds", p.seeds().stream().map(String::valueOf).collect(Collectors.joining(",")));
        return text(m);
    }

    /** The canonical text of an evaluation imported from the lab's sheet: its protocol columns and seeds. */
    static String imported(Map<String, String> protocolLines, List<Long> seeds) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fingerprint_version", VERSION);
        m.put("origin", "imported from the lab's results sheet");
        for (String k : IMPORTED_KEYS) {
            m.put(k, protocolLines.getOrDefault(k, NOT_RECORDED));
        }
        m.put("seeds", seeds.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
        return text(m);
    }

    private static String text(Map<String, String> m) {
        return m.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().replace('\n', ' '))
                        .collect(Collectors.joining("\n"))
                + "\n";
    }

    /** The fingerprint of a canonical text: SHA-256 of its UTF-8 bytes, lower-case hex. */
    static String sha256(String canonical) {
        return Sha256.of(canonical.getBytes(StandardCharsets.UTF_8));
    }

    /** The hash of a tile list ({@code archiveSha256:row} lines in selection order), as the canonical text names it. */
    static String tileListHash(List<String> tiles) {
        return "sha256:" + sha256(String.join("\n", tiles) + "\n") + " (" + tiles.size() + " tiles)";
    }

    /** Several subjects' generated tile lists: the one hash when all agree, else the sorted distinct hashes. */
    static String combine(List<String> hashes) {
        if (hashes.isEmpty() || hashes.stream().anyMatch(java.util.Objects::isNull)) {
            return null;
        }
        Set<String> distinct = new LinkedHashSet<>(hashes);
        if (distinct.size() == 1) {
            return distinct.iterator().next();
        }
        return "differ per compared set: " + distinct.stream().sorted().collect(Collectors.joining("; "));
    }

    /** The first 8 hex digits, as pages label a fingerprint. */
    public static String shortOf(String fingerprint) {
        return fingerprint == null ? "none" : fingerprint.substring(0, Math.min(8, fingerprint.length()));
    }

    /** A human summary of a canonical text: tiles, crops, KID, seeds, extractor. */
    public static String summary(String canonical) {
        if (canonical == null) {
            return "protocol not recorded";
        }
        Map<String, String> m = Protocol.lines(canonical);
        if (!m.containsKey("tiles_per_side")) {
            List<String> parts = new ArrayList<>();
            parts.add("imported sheet");
            for (String k :
                    List.of("n_real", "n_fake", "crop_size", "crops_per_image", "kid_subsets", "kid_subset_size")) {
                if (m.containsKey(k) && !NOT_RECORDED.equals(m.get(k))) {
                    parts.add(k + " " + m.get(k));
                }
            }
            parts.add("seeds " + m.getOrDefault("seeds", "?"));
            return String.join(", ", parts);
        }
        String ex = m.getOrDefault("extractor_sha256", NOT_RECORDED);
        return m.get("tiles_per_side") + " tiles per side from " + m.get("archives_per_side") + " archives, "
                + m.get("crops_per_tile") + " crops of " + m.get("crop_size") + " px per tile, KID "
                + m.get("kid_subsets")
                + " subsets of " + m.get("kid_subset_size") + ", seeds " + m.get("seeds") + ", extractor "
                + (ex.length() > 8 ? ex.substring(0, 8) : ex);
    }

    /** A field whose value differs between two canonical texts (null: absent on that side). */
    public record Difference(String field, String here, String there) {

        public String text() {
            return field.replace('_', ' ') + ": " + shorten(here) + " here, " + shorten(there) + " there";
        }

        /** Hashes cut to their first 12 hex digits (the full values are in the protocol details). */
        static String shorten(String v) {
            if (v == null) {
                return "—";
            }
            return v.replaceAll("([0-9a-f]{12})[0-9a-f]{52}", "$1…");
        }
    }

    /** The fields that differ between two canonical texts, in the first one's order (then the second's extra fields). */
    public static List<Difference> differences(String here, String there) {
        Map<String, String> a = here == null ? Map.of() : Protocol.lines(here);
        Map<String, String> b = there == null ? Map.of() : Protocol.lines(there);
        List<Difference> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            String x = a.get(k);
            String y = b.get(k);
            if (x == null ? y != null : !x.equals(y)) {
                out.add(new Difference(k, x, y));
            }
        }
        return out;
    }
}
