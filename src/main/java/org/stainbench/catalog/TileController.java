package org.stainbench.catalog;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/** The tile browser (paged, filtered), one tile at full resolution, and the image bytes. */
@Controller
class TileController {

    private final Catalog catalog;
    private final TileFiles tileFiles;
    private final CatalogProperties properties;

    TileController(Catalog catalog, TileFiles tileFiles, CatalogProperties properties) {
        this.catalog = catalog;
        this.tileFiles = tileFiles;
        this.properties = properties;
    }

    static TileFilter filter(Boolean informative, Double minTissue, Double label, Long archive, String side) {
        return new TileFilter(informative, minTissue, label, archive, side);
    }

    /** The filter as query parameters, for links that keep it. */
    static String query(TileFilter f) {
        UriComponentsBuilder b = UriComponentsBuilder.newInstance();
        if (f.informativeOnly() != null) {
            b.queryParam("informative", "true");
        }
        if (f.minTissue() != null) {
            b.queryParam("minTissue", f.minTissue());
        }
        if (f.label() != null) {
            b.queryParam("label", f.label());
        }
        if (f.archiveId() != null) {
            b.queryParam("archive", f.archiveId());
        }
        if (f.side() != null) {
            b.queryParam("side", f.side());
        }
        String q = b.build().getQuery();
        return q == null ? "" : q;
    }

    /** The tile browser's filter fields (all optional), bound as one record by the browser and the tile page. */
    record TileFilterForm(Boolean informative, Double minTissue, Double label, Long archive, String side) {

        TileFilter filter() {
            return TileController.filter(informative, minTissue, label, archive, side);
        }
    }

    @GetMapping("/datasets/{id}/tiles")
    String browse(
            @PathVariable long id,
            TileFilterForm filter,
            @RequestParam(defaultValue = "0") int page,
            Model model,
            org.springframework.security.core.Authentication auth) {
        return browse(id, filter, page, model, auth, false);
    }

    @HxRequest
    @GetMapping("/datasets/{id}/tiles")
    String browseFragment(
            @PathVariable long id,
            TileFilterForm filter,
            @RequestParam(defaultValue = "0") int page,
            Model model,
            org.springframework.security.core.Authentication auth) {
        return browse(id, filter, page, model, auth, true);
    }

    private String browse(
            long id,
            TileFilterForm filter,
            int page,
            Model model,
            org.springframework.security.core.Authentication auth,
            boolean hx) {
        Dataset d = visible(id, auth);
        TileFilter f;
        try {
            f = filter.filter();
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
            f = TileFilter.NONE;
        }
        int size = properties.pageSize();
        int p = Math.max(0, page);
        long total = catalog.countTiles(id, f);
        List<TileInfo> tiles = catalog.tiles(id, f, p * size, size);
        List<Archive> archives = catalog.archives(id).stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .toList();
        model.addAttribute("dataset", d);
        model.addAttribute("filter", f);
        model.addAttribute("query", query(f));
        model.addAttribute("qs", query(f).isEmpty() ? "" : "?" + query(f));
        model.addAttribute(
                "pageBase", "/datasets/" + id + "/tiles?" + (query(f).isEmpty() ? "" : query(f) + "&") + "page=");
        model.addAttribute("page", new PageImpl<>(tiles, PageRequest.of(p, size), total));
        model.addAttribute("archives", archives);
        model.addAttribute(
                "names", archives.stream().collect(java.util.stream.Collectors.toMap(Archive::id, Archive::fileName)));
        model.addAttribute("labels", catalog.labels(id));
        return hx ? "tiles/browse :: grid" : "tiles/browse";
    }

    @GetMapping("/tiles/{tileId}")
    String view(
            @PathVariable long tileId,
            TileFilterForm filter,
            Model model,
            org.springframework.security.core.Authentication auth) {
        TileInfo t =
                catalog.findTile(tileId).orElseThrow(() -> new Catalog.NotFound("No tile with id " + tileId + "."));
        Archive a = listed(t);
        TileFilter f = filter.filter();
        model.addAttribute("tile", t);
        model.addAttribute("archive", a);
        model.addAttribute("dataset", visible(t.datasetId(), auth));
        model.addAttribute("qs", query(f).isEmpty() ? "" : "?" + query(f));
        model.addAttribute("previous", catalog.neighbour(t, f, false).orElse(null));
        model.addAttribute("next", catalog.neighbour(t, f, true).orElse(null));
        return "tiles/view";
    }

    /** A deleted dataset's tile pages open for admins only (with the deleted banner), like the dataset's own page. */
    private Dataset visible(long datasetId, org.springframework.security.core.Authentication auth) {
        return catalog.visibleDataset(datasetId, auth);
    }

    private Archive listed(TileInfo t) {
        return catalog.archive(t.archiveId())
                .filter(a -> a.status() == ArchiveStatus.READY)
                .orElseThrow(() -> new Catalog.NotFound("No tile with id " + t.id() + "."));
    }

    @GetMapping("/tiles/{tileId}/thumb")
    ResponseEntity<byte[]> thumb(@PathVariable long tileId) throws IOException {
        TileInfo t =
                catalog.findTile(tileId).orElseThrow(() -> new Catalog.NotFound("No tile with id " + tileId + "."));
        listed(t);
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_JPEG)
                .cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePrivate())
                .body(tileFiles.thumbnail(t));
    }

    /** The full-resolution tile: JPEG (quality 0.92) by default, lossless PNG with {@code ?format=png}. */
    @GetMapping("/tiles/{tileId}/image")
    ResponseEntity<byte[]> image(@PathVariable long tileId, @RequestParam(defaultValue = "jpeg") String format)
            throws IOException {
        TileInfo t =
                catalog.findTile(tileId).orElseThrow(() -> new Catalog.NotFound("No tile with id " + tileId + "."));
        Archive a = listed(t);
        var tile = tileFiles.tile(a, t);
        boolean png = format.equalsIgnoreCase("png");
        return ResponseEntity.ok()
                .contentType(png ? MediaType.IMAGE_PNG : MediaType.IMAGE_JPEG)
                .cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePrivate())
                .body(png ? Images.png(tile) : Images.jpeg(tile, 0.92f));
    }
}
