package org.stainbench.checkpoints;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobSummary;
import org.stainbench.shell.Dependants;

/** Checkpoint list, registration forms, detail page with lineage and generated sets. */
@Controller
class CheckpointController {

    static final int PAGE = 50;

    private final Checkpoints checkpoints;
    private final Catalog catalog;
    private final JobQueue jobs;
    private final ObjectProvider<LineageContributor> lineage;

    CheckpointController(
            Checkpoints checkpoints, Catalog catalog, JobQueue jobs, ObjectProvider<LineageContributor> lineage) {
        this.checkpoints = checkpoints;
        this.catalog = catalog;
        this.jobs = jobs;
        this.lineage = lineage;
    }

    @GetMapping("/checkpoints")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        return list(page, model, false);
    }

    @HxRequest
    @GetMapping("/checkpoints")
    String listFragment(@RequestParam(defaultValue = "0") int page, Model model) {
        return list(page, model, true);
    }

    private String list(int page, Model model, boolean hx) {
        int p = Math.max(0, page);
        List<Checkpoint> items = checkpoints.newestFirst(p * PAGE, PAGE);
        Map<Long, Integer> sets = new LinkedHashMap<>();
        for (Checkpoint c : items) {
            sets.put(c.id(), checkpoints.sets(c.id()).size());
        }
        model.addAttribute("page", new PageImpl<>(items, PageRequest.of(p, PAGE), checkpoints.count()));
        model.addAttribute("setCounts", sets);
        model.addAttribute("datasets", catalog.realDatasets());
        model.addAttribute("ihcDatasets", catalog.realDatasets(Stain.IHC));
        model.addAttribute("flows", List.of("none", "mist_pr", "mist_er"));
        return hx ? "checkpoints/list :: table" : "checkpoints/list";
    }

    /** The register form: the checkpoint's fields, then the adapter as an upload or a server path. */
    record RegisterForm(
            String name,
            String baseModel,
            String embeddingFlow,
            Integer loraRank,
            Double loraAlpha,
            String targetModules,
            String runUuid,
            Integer epoch,
            Long trainedOn,
            String notes,
            String tags,
            MultipartFile adapter,
            String adapterPath) {

        Checkpoints.NewCheckpoint checkpoint() {
            return new Checkpoints.NewCheckpoint(
                    name,
                    baseModel,
                    embeddingFlow,
                    loraRank,
                    loraAlpha,
                    targetModules,
                    runUuid,
                    epoch,
                    trainedOn,
                    notes,
                    tags);
        }
    }

    @PostMapping("/checkpoints")
    String register(RegisterForm form, Principal who, RedirectAttributes flash) throws IOException {
        MultipartFile adapter = form.adapter();
        boolean upload = adapter != null && !adapter.isEmpty();
        try (InputStream in = upload ? adapter.getInputStream() : null) {
            Checkpoint c = checkpoints.register(
                    form.checkpoint(),
                    upload ? adapter.getOriginalFilename() : null,
                    in,
                    form.adapterPath(),
                    who.getName());
            flash.addFlashAttribute(
                    "message",
                    "Checkpoint '" + c.name() + "' registered"
                            + (c.adapterSha256() != null ? " (adapter SHA-256 " + c.shortSha() + "…)." : "."));
            return "redirect:/checkpoints/" + c.id();
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/checkpoints";
        }
    }

    /** The baseline form: the kind, its name, and the kind's parameters (each kind uses some of them). */
    record BaselineForm(
            CheckpointKind kind, String name, Long target, Double hematoxylinGain, Double dabGain, String notes) {}

    @PostMapping("/checkpoints/baselines")
    String baseline(BaselineForm form, Principal who, RedirectAttributes flash) {
        try {
            Checkpoint c = checkpoints.createBaseline(
                    form.kind(),
                    form.name(),
                    form.target(),
                    form.hematoxylinGain(),
                    form.dabGain(),
                    form.notes(),
                    who.getName());
            flash.addFlashAttribute(
                    "message", "Baseline '" + c.name() + "' registered. Apply it to a source dataset below.");
            return "redirect:/checkpoints/" + c.id();
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/checkpoints";
        }
    }

    public record SetRow(
            GeneratedSet set, Dataset source, Dataset dataset, List<ArchiveRow> archives, JobSummary job) {}

    public record ArchiveRow(GeneratedArchive mapping, Archive archive, Archive source, long measured) {}

    @GetMapping("/checkpoints/{id}")
    String detail(@PathVariable long id, Model model, org.springframework.security.core.Authentication auth) {
        return detail(id, model, auth, false);
    }

    @HxRequest
    @GetMapping("/checkpoints/{id}")
    String detailFragment(@PathVariable long id, Model model, org.springframework.security.core.Authentication auth) {
        return detail(id, model, auth, true);
    }

    private String detail(long id, Model model, org.springframework.security.core.Authentication auth, boolean hx) {
        // a deleted checkpoint's page opens for admins only, with the "deleted by … — restore" banner
        Checkpoint c = checkpoints.visible(id, auth);
        List<SetRow> rows = new ArrayList<>();
        for (GeneratedSet s : checkpoints.sets(id)) {
            List<ArchiveRow> ar = new ArrayList<>();
            for (GeneratedArchive g : checkpoints.archives(s.id())) {
                ar.add(new ArchiveRow(
                        g,
                        catalog.archive(g.archiveId()).orElse(null),
                        catalog.archive(g.sourceArchiveId()).orElse(null),
                        checkpoints.measuredTiles(g.archiveId())));
            }
            rows.add(new SetRow(
                    s,
                    catalog.dataset(s.sourceDatasetId()).orElse(null),
                    catalog.dataset(s.datasetId()).orElse(null),
                    ar,
                    s.jobId() == null ? null : jobs.find(s.jobId()).orElse(null)));
        }
        // each later module contributes its own edge (evaluations that compared it, review sessions that showed it)
        java.util.Map<String, List<LineageContributor.Entry>> later = new java.util.LinkedHashMap<>();
        LineageContributor.KINDS.forEach(k -> later.put(k, new ArrayList<>()));
        lineage.orderedStream()
                .forEach(l -> l.entries(id).forEach(e -> later.computeIfAbsent(e.kind(), k -> new ArrayList<>())
                        .add(e)));
        model.addAttribute("checkpoint", c);
        model.addAttribute("colourMap", ColourMapView.rows(c.baselineParams()));
        model.addAttribute(
                "trainedOn",
                Optional.ofNullable(c.trainedOnDatasetId())
                        .flatMap(catalog::dataset)
                        .orElse(null));
        model.addAttribute(
                "target",
                Optional.ofNullable(Checkpoints.params(c).get("target"))
                        .map(Long::parseLong)
                        .flatMap(catalog::dataset)
                        .orElse(null));
        model.addAttribute("sets", rows);
        model.addAttribute("lineage", later);
        model.addAttribute(
                "sources",
                catalog.datasets().stream().filter(d -> d.stain() == Stain.HE).toList());
        model.addAttribute(
                "busy",
                rows.stream()
                        .anyMatch(r -> Checkpoints.GENERATING.equals(r.set().status())));
        return hx ? "checkpoints/detail :: sets" : "checkpoints/detail";
    }

    /** The delete confirmation: lists what depends on the checkpoint (then no button), else one Delete button. */
    @GetMapping("/checkpoints/{id}/delete")
    String confirmDelete(@PathVariable long id, Model model, org.springframework.security.core.Authentication auth) {
        checkpoints.checkMayDelete(auth);
        return confirm(checkpoints.require(id), checkpoints.dependantsOf(id), model);
    }

    private String confirm(Checkpoint c, List<Dependants.Dependant> dependants, Model model) {
        model.addAttribute("subject", new Dependants.Dependant("checkpoint", c.name(), c.href()));
        model.addAttribute("dependants", dependants);
        model.addAttribute("action", c.href() + "/delete");
        int sets = checkpoints.sets(c.id()).size();
        model.addAttribute(
                "also",
                sets == 0
                        ? null
                        : "Its " + sets + " generated set" + (sets == 1 ? " is" : "s are")
                                + " hidden with it and come back when it is restored.");
        return "trash/confirm";
    }

    @PostMapping("/checkpoints/{id}/delete")
    String delete(
            @PathVariable long id,
            Principal who,
            Model model,
            jakarta.servlet.http.HttpServletResponse response,
            RedirectAttributes flash) {
        Checkpoint c = checkpoints.require(id);
        try {
            checkpoints.delete(id, who.getName());
        } catch (Dependants.Blocked e) {
            response.setStatus(jakarta.servlet.http.HttpServletResponse.SC_CONFLICT);
            model.addAttribute("error", e.getMessage());
            return confirm(c, e.dependants(), model);
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/checkpoints";
        }
        flash.addFlashAttribute("message", "Checkpoint '" + c.name() + "' deleted. An admin can restore it.");
        return "redirect:/checkpoints";
    }

    @PostMapping("/checkpoints/{id}/apply")
    String apply(
            @PathVariable long id,
            @RequestParam(required = false) Long source,
            Principal who,
            RedirectAttributes flash) {
        try {
            if (source == null) {
                throw new IllegalArgumentException("Choose the source dataset.");
            }
            GeneratedSet s = checkpoints.applyBaseline(id, source, who.getName());
            flash.addFlashAttribute("message", "Generation queued as job " + s.jobId() + ".");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/checkpoints/" + id;
    }

    @PostMapping("/checkpoints/{id}/generated")
    String generated(
            @PathVariable long id,
            @RequestParam(required = false) Long source,
            @RequestParam(required = false) String folder,
            @RequestParam(required = false) String samplingSeed,
            Principal who,
            RedirectAttributes flash) {
        try {
            if (source == null) {
                throw new IllegalArgumentException("Choose the source dataset.");
            }
            Long seed = null;
            if (samplingSeed != null && !samplingSeed.isBlank()) {
                try {
                    seed = Long.parseLong(samplingSeed.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "Sampling seed: give a whole number, or leave it empty when the " + "generation had none.");
                }
            }
            checkpoints.registerGenerated(id, source, folder, seed, who.getName());
            flash.addFlashAttribute("message", "Generated archives registered and queued for ingest.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/checkpoints/" + id;
    }
}
