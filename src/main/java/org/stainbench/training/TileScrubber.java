package org.stainbench.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.TileInfo;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedArchive;
import org.stainbench.checkpoints.GeneratedSet;
import org.stainbench.checkpoints.GeneratedSetStatus;

/**
 * The run page's generated-tile scrubber: the same source tiles as each epoch's checkpoint generated them, one frame
 * per epoch, stepped with a slider or the arrow keys ({@code frontend/js/tile-scrubber.js}). The source is the H&amp;E
 * dataset most of the run's epochs have a ready generated set on; the tiles are the first of each source archive that
 * every frame has generated (round robin over archives, at most {@link #TILES}); images come from the tile endpoints.
 */
@Component
class TileScrubber {

    static final int TILES = 6;
    /** The most epochs one scrubber steps through (the latest ones). */
    static final int MAX_FRAMES = 200;

    /** One epoch: its checkpoint and its generated tile for each source tile (same order). */
    record Frame(int epoch, String checkpoint, String href, List<Long> tiles) {

        public String tileList() {
            return tiles.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        }
    }

    /** The source dataset and tiles, and one frame per epoch (ascending). */
    record Scrubber(Dataset source, List<Long> sourceTiles, List<Frame> frames) {

        public String epochList() {
            return frames.stream()
                    .map(f -> String.valueOf(f.epoch()))
                    .collect(java.util.stream.Collectors.joining(","));
        }
    }

    private final EpochEvaluations epochs;
    private final Checkpoints checkpoints;
    private final Catalog catalog;
    private final CatalogTiles tiles;

    TileScrubber(EpochEvaluations epochs, Checkpoints checkpoints, Catalog catalog, CatalogTiles tiles) {
        this.epochs = epochs;
        this.checkpoints = checkpoints;
        this.catalog = catalog;
        this.tiles = tiles;
    }

    /** The scrubber of the run, or null while fewer than one epoch has generated tiles. */
    Scrubber of(String runUuid) {
        Map<Integer, Checkpoint> byEpoch = epochs.epochCheckpoints(runUuid);
        if (byEpoch.size() > MAX_FRAMES) {
            byEpoch = new TreeMap<>(((TreeMap<Integer, Checkpoint>) byEpoch)
                    .tailMap(new ArrayList<>(byEpoch.keySet()).get(byEpoch.size() - MAX_FRAMES)));
        }
        // epoch -> (source dataset -> ready set)
        Map<Integer, Map<Long, GeneratedSet>> sets = new TreeMap<>();
        Map<Long, Integer> epochsOnSource = new HashMap<>();
        byEpoch.forEach((epoch, c) -> {
            Map<Long, GeneratedSet> m = new LinkedHashMap<>();
            for (GeneratedSet s : checkpoints.sets(c.id())) {
                if (s.status() == GeneratedSetStatus.READY) {
                    m.putIfAbsent(s.sourceDatasetId(), s);
                }
            }
            m.keySet().forEach(d -> epochsOnSource.merge(d, 1, Integer::sum));
            sets.put(epoch, m);
        });
        Long source = epochsOnSource.entrySet().stream()
                .max(Comparator.comparing(Map.Entry<Long, Integer>::getValue).thenComparing(e -> -e.getKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
        if (source == null) {
            return null;
        }
        Dataset dataset = catalog.dataset(source).orElse(null);
        if (dataset == null) {
            return null;
        }
        // per epoch: source archive -> generated archive (ready ones only)
        Map<Integer, Map<Long, GeneratedArchive>> generated = new TreeMap<>();
        List<GeneratedArchive> all = new ArrayList<>();
        sets.forEach((epoch, m) -> {
            if (m.containsKey(source)) {
                List<GeneratedArchive> g =
                        checkpoints.archivesOfSets(List.of(m.get(source).id()));
                all.addAll(g);
                Map<Long, GeneratedArchive> bySource = new HashMap<>();
                g.forEach(a -> bySource.put(a.sourceArchiveId(), a));
                generated.put(epoch, bySource);
            }
        });
        Set<Long> ready =
                tiles.ready(all.stream().map(GeneratedArchive::archiveId).toList());
        generated.values().forEach(m -> m.values().removeIf(a -> !ready.contains(a.archiveId())));
        generated.values().removeIf(Map::isEmpty);
        if (generated.isEmpty()) {
            return null;
        }
        // source archives every frame has, with the rows all of them have
        Map<Long, Integer> common = null;
        for (Map<Long, GeneratedArchive> m : generated.values()) {
            Map<Long, Integer> next = new TreeMap<>();
            for (GeneratedArchive a : m.values()) {
                if (common == null || common.containsKey(a.sourceArchiveId())) {
                    next.put(
                            a.sourceArchiveId(),
                            Math.min(a.rows(), common == null ? Integer.MAX_VALUE : common.get(a.sourceArchiveId())));
                }
            }
            common = next;
        }
        List<long[]> picked = new ArrayList<>(); // (source archive, index)
        for (int index = 0; picked.size() < TILES; index++) {
            boolean any = false;
            for (Map.Entry<Long, Integer> e : common.entrySet()) {
                if (index < e.getValue() && picked.size() < TILES) {
                    picked.add(new long[] {e.getKey(), index});
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        if (picked.isEmpty()) {
            return null;
        }
        List<Long> archives = new ArrayList<>(common.keySet());
        generated.values().forEach(m -> m.values().forEach(a -> archives.add(a.archiveId())));
        List<Integer> indices = picked.stream().map(p -> (int) p[1]).distinct().toList();
        Map<String, Long> tileId = new HashMap<>();
        for (TileInfo t : tiles.at(archives, indices)) {
            tileId.put(t.archiveId() + ":" + t.index(), t.id());
        }
        List<Long> sourceTiles =
                picked.stream().map(p -> tileId.get(p[0] + ":" + p[1])).toList();
        if (sourceTiles.contains(null)) {
            return null;
        }
        List<Frame> frames = new ArrayList<>();
        Map<Integer, Checkpoint> byEpochFinal = byEpoch;
        generated.forEach((epoch, m) -> {
            List<Long> ids = picked.stream()
                    .map(p -> tileId.get(m.get(p[0]).archiveId() + ":" + p[1]))
                    .toList();
            if (!ids.contains(null)) {
                Checkpoint c = byEpochFinal.get(epoch);
                frames.add(new Frame(epoch, c.name(), c.href(), ids));
            }
        });
        return frames.isEmpty() ? null : new Scrubber(dataset, sourceTiles, frames);
    }
}
