package org.stainbench.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.stainbench.tiles.RgbTile;

/**
 * Read access to ingested tiles for other modules (galleries, generated sets): a READY archive's tile
 * index and one tile's pixels or thumbnail, read from the random-access store without touching the rest.
 * Images are served to browsers by {@code /tiles/{id}/thumb} and {@code /tiles/{id}/image}.
 */
@Service
public class CatalogTiles {

    private final CatalogStore store;
    private final TileFiles files;
    private final JdbcClient jdbc;

    CatalogTiles(CatalogStore store, TileFiles files, JdbcClient jdbc) {
        this.store = store;
        this.files = files;
        this.jdbc = jdbc;
    }

    /** The tiles of an archive in index order; empty unless the archive is READY. */
    public List<TileInfo> tiles(long archiveId) {
        return jdbc.sql("select t.* from tile t join archive a on a.id = t.archive_id where t.archive_id = ?"
                        + " and a.status = 'READY' order by t.idx")
                .param(archiveId)
                .query(CatalogStore::tile)
                .list();
    }

    /** Tile {@code index} of a READY archive. */
    public Optional<TileInfo> at(long archiveId, int index) {
        return jdbc.sql(
                        "select t.* from tile t join archive a on a.id = t.archive_id where t.archive_id = ? and t.idx = ?"
                                + " and a.status = 'READY'")
                .params(archiveId, index)
                .query(CatalogStore::tile)
                .optional();
    }

    /** The tiles with any of the indices in any of the READY archives, in one query (for galleries). */
    public List<TileInfo> at(java.util.Collection<Long> archiveIds, java.util.Collection<Integer> indices) {
        if (archiveIds.isEmpty() || indices.isEmpty()) {
            return List.of();
        }
        List<Object> p = new java.util.ArrayList<>(archiveIds);
        p.addAll(indices);
        return jdbc.sql("select t.* from tile t join archive a on a.id = t.archive_id where t.archive_id in ("
                        + marks(archiveIds.size()) + ") and t.idx in (" + marks(indices.size())
                        + ") and a.status = 'READY'")
                .params(p)
                .query(CatalogStore::tile)
                .list();
    }

    /** Which of the archives are READY. */
    public java.util.Set<Long> ready(java.util.Collection<Long> archiveIds) {
        if (archiveIds.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(
                jdbc.sql("select id from archive where status = 'READY' and id in (" + marks(archiveIds.size()) + ")")
                        .params(new java.util.ArrayList<Object>(archiveIds))
                        .query(Long.class)
                        .list());
    }

    /** The tiles of READY archives whose tissue fractions (whole tile, central crop) reach the thresholds, by archive and index. */
    public List<TileInfo> withTissue(java.util.Collection<Long> archiveIds, double minTissue, double minCenter) {
        if (archiveIds.isEmpty()) {
            return List.of();
        }
        List<Object> p = new java.util.ArrayList<>(archiveIds);
        p.add(minTissue);
        p.add(minCenter);
        return jdbc.sql(
                        "select t.* from tile t join archive a on a.id = t.archive_id where t.archive_id in ("
                                + marks(archiveIds.size())
                                + ") and t.tissue_fraction >= ? and t.tissue_center_fraction >= ? and a.status = 'READY' order by t.archive_id, t.idx")
                .params(p)
                .query(CatalogStore::tile)
                .list();
    }

    private static String marks(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    public Optional<TileInfo> tile(long tileId) {
        return store.findTile(tileId);
    }

    /** The pixels of tile {@code index} of a READY archive. */
    public RgbTile read(long archiveId, int index) {
        Archive a = store.findArchive(archiveId)
                .filter(x -> x.status() == ArchiveStatus.READY)
                .orElseThrow(() -> new IllegalArgumentException("Archive " + archiveId + " is not ingested."));
        if (index < 0 || index >= a.tilesTotal()) {
            throw new IllegalArgumentException("Archive '" + a.fileName() + "' has no tile " + index + ".");
        }
        TileInfo t = new TileInfo(0, archiveId, a.datasetId(), index, null, 0, 0, 0, false, 0, 0, 0, 0);
        try {
            return files.tile(a, t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored JPEG thumbnail of a tile. */
    public byte[] thumbnail(TileInfo t) {
        try {
            return files.thumbnail(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
