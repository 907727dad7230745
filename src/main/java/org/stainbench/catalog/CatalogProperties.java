package org.stainbench.catalog;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.stainbench.tiles.Npz;

/**
 * {@code stainbench.catalog.*}.
 *
 * @param allowedRoots        folders under which archives may be registered by server path (none: disabled)
 * @param maxCompressionRatio largest compression ratio of an archive entry (zip bomb guard)
 * @param maxEntryBytes       largest uncompressed archive entry
 * @param ingestThreads       threads computing measures and thumbnails during one ingest
 * @param pageSize            tiles per page in the tile browser
 * @param maxTileSide         largest tile height or width an archive may declare (checked before anything is allocated)
 * @param maxTiles            most tiles one archive's array may declare
 * @param maxUploadBytes      largest archive upload (page, multipart API and raw API): refused by its declared
 *                            length before it is read, else counted while it streams in
 */
@ConfigurationProperties("stainbench.catalog")
record CatalogProperties(
        @DefaultValue List<Path> allowedRoots,
        @DefaultValue("250") double maxCompressionRatio,
        @DefaultValue("68719476736") long maxEntryBytes,
        @DefaultValue("2") int ingestThreads,
        @DefaultValue("60") int pageSize,
        @DefaultValue("4096") int maxTileSide,
        @DefaultValue("2000000") long maxTiles,
        @DefaultValue("8GB") org.springframework.util.unit.DataSize maxUploadBytes) {

    Npz.Limits limits() {
        return new Npz.Limits(maxEntryBytes, maxCompressionRatio, maxTileSide, maxTiles, -1);
    }
}
