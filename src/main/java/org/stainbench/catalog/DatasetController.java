package org.stainbench.catalog;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
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
import org.stainbench.shell.Dependants;
import tools.jackson.databind.json.JsonMapper;

/** Dataset pages: list and create, detail with archives, ingest progress, patients, split and histograms. */
@Controller
class DatasetController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Catalog catalog;
    private final DemoData demo;
    private final Clock clock;

    private final org.springframework.beans.factory.ObjectProvider<CheckpointNames> checkpointNames;

    DatasetController(
            Catalog catalog,
            DemoData demo,
            Clock clock,
            org.springframework.beans.factory.ObjectProvider<CheckpointNames> checkpointNames) {
        this.checkpointNames = checkpointNames;
        this.catalog = catalog;
        this.demo = demo;
        this.clock = clock;
    }

    private record Figures(String version, long informative, String histograms) {}

    private final java.util.concurrent.ConcurrentHashMap<Long, Figures> figures =
            new java.util.concurrent.ConcurrentHashMap<>();

    record Row(Dataset dataset, long archives, long tiles) {}

    /** The generated sets of one checkpoint, for the Datasets page. */
    record CheckpointGroup(long checkpointId, String checkpointName, List<Row> sets) {
        public String href() {
            return "/checkpoints/" + checkpointId;
        }
    }

    @GetMapping("/datasets")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        int size = 25;
        int p = Math.max(0, page);
        Map<Long, long[]> counts = catalog.datasetCounts();
        List<Row> rows = catalog.datasets(DatasetKind.REAL, p * size, size).stream()
                .map(d -> {
                    long[] c = counts.getOrDefault(d.id(), new long[2]);
                    return new Row(d, c[0], c[1]);
                })
                .toList();
        model.addAttribute(
                "page", new PageImpl<>(rows, PageRequest.of(p, size), catalog.countDatasets(DatasetKind.REAL)));
        // generated sets are not real data: listed apart, under the checkpoint that made them
        Map<Long, List<Row>> byCheckpoint = new java.util.TreeMap<>();
        for (Dataset d : catalog.datasets(DatasetKind.GENERATED, 0, Integer.MAX_VALUE)) {
            long[] c = counts.getOrDefault(d.id(), new long[2]);
            byCheckpoint
                    .computeIfAbsent(
                            d.generatedCheckpointId() == null ? 0L : d.generatedCheckpointId(),
                            k -> new java.util.ArrayList<>())
                    .add(new Row(d, c[0], c[1]));
        }
        CheckpointNames names = checkpointNames.getIfAvailable();
        model.addAttribute(
                "generatedGroups",
                byCheckpoint.entrySet().stream()
                        .map(e -> new CheckpointGroup(
                                e.getKey(),
                                names == null
                                        ? null
                                        : names.checkpointName(e.getKey()).orElse(null),
                                e.getValue()))
                        .toList());
        model.addAttribute("stains", Stain.values());
        model.addAttribute(
                "demoLoaded",
                catalog.datasetNameTaken(DemoData.HE_NAME) || catalog.datasetNameTaken(DemoData.CK7_NAME));
        model.addAttribute(
                "realTissue",
                catalog.datasets().stream()
                        .filter(d -> d.name().equals(DemoData.REAL_HE_NAME)
                                || d.name().equals(DemoData.REAL_IHC_NAME))
                        .toList());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new DatasetForm(null, Stain.HE, null, null, 1024, null));
        }
        return "datasets/list";
    }

    record DatasetForm(String name, Stain stain, String marker, String cohort, Integer tileSize, String description) {}

    @PostMapping("/datasets")
    String create(DatasetForm form, Principal who, Model model, RedirectAttributes flash) {
        try {
            long id = catalog.createDataset(
                    form.name(),
                    form.stain(),
                    form.marker(),
                    form.cohort(),
                    form.tileSize(),
                    form.description(),
                    who.getName());
            flash.addFlashAttribute("message", "Dataset '" + form.name().trim() + "' created. Add its archives below.");
            return "redirect:/datasets/" + id;
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
            model.addAttribute("form", form);
            return list(0, model);
        }
    }

    @PostMapping("/datasets/demo")
    String loadDemo(Principal who, RedirectAttributes flash) {
        try {
            DemoData.Loaded n = demo.load(who.getName());
            flash.addFlashAttribute(
                    "message",
                    "Demo project loaded: " + n.synthetic() + " archives of synthetic tiles and "
                            + n.real() + " of real tissue (\"" + DemoData.REAL_HE_NAME + "\", \""
                            + DemoData.REAL_IHC_NAME
                            + "\") are being ingested.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/datasets";
    }

    @GetMapping("/datasets/{id}")
    String detail(@PathVariable long id, Model model, org.springframework.security.core.Authentication auth) {
        // a deleted dataset's page opens for admins only, with the "deleted by … — restore" banner
        Dataset d = catalog.visibleDataset(id, auth);
        List<Archive> archives = catalog.archives(id);
        model.addAttribute("dataset", d);
        model.addAttribute("archives", archives);
        model.addAttribute("now", clock.instant());
        model.addAttribute("busy", archives.stream().anyMatch(a -> a.status().busy()));
        model.addAttribute("patients", catalog.patients(id));
        model.addAttribute(
                "tiles",
                archives.stream()
                        .filter(a -> a.status() == ArchiveStatus.READY)
                        .mapToLong(Archive::tilesTotal)
                        .sum());
        // the figures change only when an archive is (re)ingested or removed: cache them per dataset under that key
        String version = archives.stream()
                .filter(a -> a.status() == ArchiveStatus.READY)
                .map(a -> a.id() + "@" + a.ingestedAt())
                .collect(java.util.stream.Collectors.joining(","));
        Figures f = figures.compute(
                id,
                (k, old) -> old != null && old.version().equals(version)
                        ? old
                        : new Figures(
                                version,
                                catalog.countInformative(id),
                                JSON.writeValueAsString(catalog.histograms(id))));
        model.addAttribute("informative", f.informative());
        model.addAttribute("histograms", f.histograms());
        return "datasets/detail";
    }

    /** The delete confirmation: lists what depends on the dataset (then no button), else one Delete button. */
    @GetMapping("/datasets/{id}/delete")
    String confirmDelete(@PathVariable long id, Model model, org.springframework.security.core.Authentication auth) {
        catalog.checkMayDelete(auth);
        Dataset d = catalog.requireDataset(id);
        return confirm(d, catalog.dependantsOf(id), model);
    }

    private static String confirm(Dataset d, List<Dependants.Dependant> dependants, Model model) {
        model.addAttribute("subject", new Dependants.Dependant("dataset", d.name(), d.href()));
        model.addAttribute("dependants", dependants);
        model.addAttribute("action", d.href() + "/delete");
        return "trash/confirm";
    }

    @PostMapping("/datasets/{id}/delete")
    String deleteDataset(
            @PathVariable long id, Principal who, Model model, HttpServletResponse response, RedirectAttributes flash) {
        Dataset d = catalog.requireDataset(id);
        try {
            catalog.deleteDataset(id, who.getName());
        } catch (Dependants.Blocked e) {
            response.setStatus(HttpServletResponse.SC_CONFLICT);
            model.addAttribute("error", e.getMessage());
            return confirm(d, e.dependants(), model);
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/datasets";
        }
        flash.addFlashAttribute("message", "Dataset '" + d.name() + "' deleted. An admin can restore it.");
        return "redirect:/datasets";
    }

    /** Ingest progress: the polled fragment for htmx, and its full-page twin. */
    @GetMapping("/datasets/{id}/progress")
    String progress(@PathVariable long id, Model model, HttpServletResponse response) {
        return progress(id, model, response, false);
    }

    @HxRequest
    @GetMapping("/datasets/{id}/progress")
    String progressFragment(@PathVariable long id, Model model, HttpServletResponse response) {
        return progress(id, model, response, true);
    }

    private String progress(long id, Model model, HttpServletResponse response, boolean hx) {
        Dataset d = catalog.requireDataset(id);
        List<Archive> archives = catalog.archives(id);
        boolean busy = archives.stream().anyMatch(a -> a.status().busy());
        model.addAttribute("dataset", d);
        model.addAttribute("archives", archives);
        model.addAttribute("busy", busy);
        model.addAttribute("now", clock.instant());
        if (hx) {
            if (!busy) {
                response.setHeader("HX-Refresh", "true");
            }
            return "datasets/progress :: progress";
        }
        return "datasets/progress";
    }

    @PostMapping("/datasets/{id}/archives")
    String upload(
            @PathVariable long id,
            @RequestParam(value = "file", required = false) MultipartFile file,
            Principal who,
            RedirectAttributes flash) {
        catalog.requireDataset(id);
        if (file == null || file.isEmpty()) {
            flash.addFlashAttribute("error", "Choose an archive (.npz) to upload.");
            return "redirect:/datasets/" + id;
        }
        try {
            Archive a = catalog.registerUpload(id, file.getOriginalFilename(), file.getInputStream(), who.getName());
            flash.addFlashAttribute("message", "'" + a.fileName() + "' uploaded; its ingest is queued.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "redirect:/datasets/" + id;
    }

    @PostMapping("/datasets/{id}/archives/path")
    String byPath(
            @PathVariable long id,
            @RequestParam(required = false) String path,
            Principal who,
            RedirectAttributes flash) {
        try {
            Archive a = catalog.registerPath(id, path, who.getName());
            flash.addFlashAttribute("message", "'" + a.fileName() + "' registered; its ingest is queued.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/datasets/" + id;
    }

    @PostMapping("/datasets/{id}/archives/{archiveId}/retry")
    String retry(@PathVariable long id, @PathVariable long archiveId, Principal who, RedirectAttributes flash) {
        try {
            catalog.retry(id, archiveId, who.getName());
            flash.addFlashAttribute("message", "Ingest queued again.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/datasets/" + id;
    }

    @PostMapping("/datasets/{id}/archives/{archiveId}/delete")
    String delete(@PathVariable long id, @PathVariable long archiveId, Principal who, RedirectAttributes flash) {
        try {
            catalog.deleteArchive(id, archiveId, who.getName());
            flash.addFlashAttribute("message", "Archive removed.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/datasets/" + id;
    }

    @PostMapping("/datasets/{id}/archives/{archiveId}/patient")
    String patient(
            @PathVariable long id,
            @PathVariable long archiveId,
            @RequestParam(required = false) String patient,
            @RequestParam(required = false) Integer replicate,
            Principal who,
            RedirectAttributes flash) {
        try {
            catalog.setPatient(id, archiveId, patient, replicate, who.getName());
            flash.addFlashAttribute("message", "Patient saved. Split the dataset again to place it.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/datasets/" + id;
    }

    @PostMapping("/datasets/{id}/split")
    String split(
            @PathVariable long id,
            @RequestParam(required = false) Long seed,
            @RequestParam(defaultValue = "70") int trainPercent,
            Principal who,
            RedirectAttributes flash) {
        try {
            if (seed == null) {
                throw new IllegalArgumentException(
                        "Give the split a seed (any whole number); the same seed gives the same split.");
            }
            Map<String, String> sides = catalog.split(id, seed, trainPercent, who.getName());
            long train = sides.values().stream().filter("train"::equals).count();
            flash.addFlashAttribute(
                    "message",
                    "Split by patient with seed " + seed + ": " + train + " patients train, " + (sides.size() - train)
                            + " test.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/datasets/" + id;
    }

    @GetMapping("/datasets/{id}/split.csv")
    ResponseEntity<byte[]> splitCsv(@PathVariable long id, Principal who) {
        Dataset d = catalog.requireDataset(id);
        return ResponseEntity.ok()
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(d.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-split.csv")
                                .build()
                                .toString())
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(catalog.exportSplitCsv(id, who.getName()).getBytes(StandardCharsets.UTF_8));
    }
}
