package org.stainbench.slides;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobSummary;

/** Slide list, registration, slide page with the tile map, annotations import and tiling. */
@Controller
class SlidesController {

    static final int PAGE_SIZE = 25;
    static final List<String> COLOURINGS = List.of("laplacian", "saturated", "white", "tissue", "class");

    private final Slides slides;
    private final Catalog catalog;
    private final JobQueue jobs;

    SlidesController(Slides slides, Catalog catalog, JobQueue jobs) {
        this.slides = slides;
        this.catalog = catalog;
        this.jobs = jobs;
    }

    @GetMapping("/slides")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        int p = Math.max(0, page);
        long total = slides.count();
        model.addAttribute(
                "slides", new PageImpl<>(slides.slides(p * PAGE_SIZE, PAGE_SIZE), PageRequest.of(p, PAGE_SIZE), total));
        model.addAttribute("labels", SlideLabel.values());
        return "slides/list";
    }

    @PostMapping("/slides")
    String upload(
            @RequestParam(value = "file", required = false) MultipartFile file,
            @RequestParam(required = false) String label,
            Principal who,
            RedirectAttributes flash) {
        if (file == null || file.isEmpty()) {
            flash.addFlashAttribute("error", "Choose a slide file to upload.");
            return "redirect:/slides";
        }
        try {
            Slide s = slides.registerUpload(file.getOriginalFilename(), file.getInputStream(), label, who.getName());
            flash.addFlashAttribute("message", "'" + s.name() + "' registered.");
            return "redirect:/slides/" + s.id();
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "redirect:/slides";
    }

    @PostMapping("/slides/path")
    String byPath(
            @RequestParam(required = false) String path,
            @RequestParam(required = false) String label,
            Principal who,
            RedirectAttributes flash) {
        try {
            Slide s = slides.registerPath(path, label, who.getName());
            flash.addFlashAttribute("message", "'" + s.name() + "' registered.");
            return "redirect:/slides/" + s.id();
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/slides";
        }
    }

    /** A kept tile drawn on the map: its rectangle on the slide, colour and link. */
    record MapTile(int row, long x, long y, String colour, String title, String href) {}

    @GetMapping("/slides/{id}")
    String slide(
            @PathVariable long id,
            @RequestParam(required = false) Long tiling,
            @RequestParam(defaultValue = "laplacian") String colour,
            Model model) {
        Slide s = slides.requireSlide(id);
        List<Tiling> tilings = slides.tilings(id);
        model.addAttribute("slide", s);
        model.addAttribute("tilings", tilings);
        model.addAttribute("datasets", catalog.realDatasets());
        model.addAttribute("datasetNames", datasetNames());
        model.addAttribute("labels", SlideLabel.values());
        model.addAttribute("regions", slides.regions(id).size());
        model.addAttribute("colourings", COLOURINGS);
        String c = COLOURINGS.contains(colour) ? colour : "laplacian";
        model.addAttribute("colour", c);
        model.addAttribute("jobs", jobSummaries(tilings));
        model.addAttribute("busy", tilings.stream().anyMatch(SlidesController::busy));
        Tiling shown = tilings.stream()
                .filter(t -> tiling == null ? "DONE".equals(t.state()) : t.id() == tiling)
                .findFirst()
                .orElse(null);
        model.addAttribute("shown", shown);
        List<MapTile> map = new ArrayList<>();
        Map<String, String> legend = new LinkedHashMap<>();
        if (shown != null) {
            List<SlideTile> tiles = slides.tiles(shown.id());
            ToDoubleFunction<SlideTile> f =
                    switch (c) {
                        case "saturated" -> SlideTile::saturatedFraction;
                        case "white" -> SlideTile::whiteFraction;
                        case "tissue" -> SlideTile::tissueFraction;
                        default -> SlideTile::laplacianVariance;
                    };
            DoubleSummaryStatistics st = tiles.stream().mapToDouble(f).summaryStatistics();
            double span = shown.tileSize() * levelDownsample(s, shown.usedLevel() == null ? 0 : shown.usedLevel());
            model.addAttribute("span", Math.round(span));
            for (SlideTile t : tiles) {
                String col;
                if (c.equals("class")) {
                    String cls = t.className() == null ? "none" : t.className();
                    col = classColour(cls);
                    legend.putIfAbsent(cls, col);
                } else {
                    double v = f.applyAsDouble(t);
                    double u = st.getMax() > st.getMin() ? (v - st.getMin()) / (st.getMax() - st.getMin()) : 0.5;
                    col = String.format(Locale.ROOT, "hsl(%d, 90%%, 45%%)", Math.round(240 * (1 - u)));
                }
                String title = String.format(
                        Locale.ROOT,
                        "row %d at (%d, %d): Laplacian variance %.1f, saturated %.3f, white %.3f%s",
                        t.row(),
                        t.x(),
                        t.y(),
                        t.laplacianVariance(),
                        t.saturatedFraction(),
                        t.whiteFraction(),
                        t.className() == null ? "" : ", " + t.className());
                map.add(new MapTile(
                        t.row(),
                        t.x(),
                        t.y(),
                        col,
                        title,
                        "/slides/" + id + "/tilings/" + shown.id() + "/tiles/" + t.row()));
            }
            if (!c.equals("class") && !tiles.isEmpty()) {
                legend.put(String.format(Locale.ROOT, "low (%.3g)", st.getMin()), "hsl(240, 90%, 45%)");
                legend.put(String.format(Locale.ROOT, "high (%.3g)", st.getMax()), "hsl(0, 90%, 45%)");
            }
        }
        model.addAttribute("map", map);
        model.addAttribute("legend", legend);
        return "slides/detail";
    }

    /** The tilings table's full-page twin: the slide page. */
    @GetMapping("/slides/{id}/tilings")
    String tilings(@PathVariable long id, Model model) {
        return slide(id, null, "laplacian", model);
    }

    /** The tilings table: the polled htmx fragment. */
    @HxRequest
    @GetMapping("/slides/{id}/tilings")
    String tilingsFragment(@PathVariable long id, HttpServletResponse response, Model model) {
        Slide s = slides.requireSlide(id);
        List<Tiling> tilings = slides.tilings(id);
        model.addAttribute("slide", s);
        model.addAttribute("tilings", tilings);
        model.addAttribute("datasetNames", datasetNames());
        model.addAttribute("jobs", jobSummaries(tilings));
        boolean busy = tilings.stream().anyMatch(SlidesController::busy);
        model.addAttribute("busy", busy);
        if (!busy) {
            response.setHeader("HX-Refresh", "true");
        }
        return "slides/detail :: tilings";
    }

    static boolean busy(Tiling t) {
        return "QUEUED".equals(t.state()) || "RUNNING".equals(t.state());
    }

    private Map<Long, JobSummary> jobSummaries(List<Tiling> tilings) {
        Map<Long, JobSummary> out = new LinkedHashMap<>();
        for (Tiling t : tilings) {
            if (t.jobId() != null) {
                jobs.find(t.jobId()).ifPresent(j -> out.put(t.id(), j));
            }
        }
        return out;
    }

    private Map<Long, String> datasetNames() {
        Map<Long, String> m = new LinkedHashMap<>();
        for (Dataset d : catalog.datasets()) {
            m.put(d.id(), d.name());
        }
        return m;
    }

    static double levelDownsample(Slide s, int level) {
        String[] parts = s.levels().split("; ");
        if (level < 0 || level >= parts.length) {
            return 1;
        }
        return Double.parseDouble(parts[level].substring(parts[level].indexOf('@') + 1));
    }

    static String classColour(String cls) {
        return String.format(Locale.ROOT, "hsl(%d, 85%%, 45%%)", Math.floorMod(cls.hashCode() * 47, 360));
    }

    @GetMapping("/slides/{id}/thumbnail.png")
    ResponseEntity<byte[]> thumbnail(@PathVariable long id) throws IOException {
        slides.requireSlide(id);
        byte[] png = slides.thumbnail(id).orElseThrow(() -> new Slides.NotFound("Slide " + id + " has no thumbnail."));
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png);
    }

    @PostMapping("/slides/{id}/label")
    String label(
            @PathVariable long id,
            @RequestParam(required = false) String label,
            Principal who,
            RedirectAttributes flash) {
        try {
            slides.setLabel(id, label, who.getName());
            flash.addFlashAttribute("message", "Label saved.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/slides/" + id;
    }

    @PostMapping("/slides/{id}/annotations")
    String annotations(
            @PathVariable long id,
            @RequestParam(value = "file", required = false) MultipartFile file,
            Principal who,
            RedirectAttributes flash)
            throws IOException {
        slides.requireSlide(id);
        if (file == null || file.isEmpty()) {
            flash.addFlashAttribute("error", "Choose a GeoJSON file exported from QuPath.");
            return "redirect:/slides/" + id;
        }
        try {
            int n = slides.importAnnotations(id, new String(file.getBytes(), StandardCharsets.UTF_8), who.getName());
            flash.addFlashAttribute("message", n + " polygons imported.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/slides/" + id;
    }

    /** The tiling form: the receiving dataset, the level (or a magnification), the tile grid and the tissue rules. */
    record TilingForm(
            Long dataset,
            Integer level,
            Double magnification,
            Integer tileSize,
            Integer overlap,
            Double minLaplacian,
            Double minSaturated,
            Double maxWhite,
            Boolean colourCast,
            Boolean excludeOutside,
            Boolean plain) {

        Slides.TilingRequest request() {
            if (dataset == null) {
                throw new IllegalArgumentException("Choose the dataset that receives the tiles.");
            }
            return new Slides.TilingRequest(
                    dataset,
                    magnification != null && level == null ? null : level,
                    magnification,
                    tileSize,
                    overlap,
                    minLaplacian,
                    minSaturated,
                    maxWhite,
                    Boolean.TRUE.equals(colourCast),
                    Boolean.TRUE.equals(excludeOutside),
                    Boolean.TRUE.equals(plain));
        }
    }

    @PostMapping("/slides/{id}/tilings")
    String tile(@PathVariable long id, TilingForm form, Principal who, RedirectAttributes flash) {
        slides.requireSlide(id);
        try {
            long t = slides.startTiling(id, form.request(), who.getName());
            flash.addFlashAttribute("message", "Tiling " + t + " queued.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/slides/" + id;
    }

    /** A kept tile of the map → the catalog's tile browser (once the archive is indexed). */
    @GetMapping("/slides/{id}/tilings/{tilingId}/tiles/{row}")
    String tile(@PathVariable long id, @PathVariable long tilingId, @PathVariable int row, RedirectAttributes flash) {
        Tiling t = slides.tiling(tilingId)
                .filter(x -> x.slideId() == id)
                .orElseThrow(() -> new Slides.NotFound("No tiling " + tilingId + " of slide " + id + "."));
        return slides.tileHref(t.id(), row).map(h -> "redirect:" + h).orElseGet(() -> {
            flash.addFlashAttribute(
                    "error",
                    "Tile " + row
                            + " is not in the tile browser yet: its archive is still being indexed (or was removed).");
            return "redirect:/slides/" + id + "?tiling=" + tilingId;
        });
    }
}
