package org.stainbench.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** Pages for tracked runs: a list per experiment and a run page with curves, params, tags and images. */
@Controller
class RunsController {

    private static final int PAGE_SIZE = 50;

    private final TrackingStore store;
    private final MlflowArtifacts artifacts;

    RunsController(TrackingStore store, MlflowArtifacts artifacts) {
        this.store = store;
        this.artifacts = artifacts;
    }

    @GetMapping("/runs")
    String runs(@RequestParam(required = false) Long experiment, @RequestParam(defaultValue = "0") int page,
            Model model) {
        List<Tracking.Experiment> experiments = store.experiments(true);
        List<Long> ids = experiment != null ? List.of(experiment) : experiments.stream().map(Tracking.Experiment::id).toList();
        List<Tracking.RunInfo> all = store.runInfos(ids, "active");
        int from = Math.min(Math.max(page, 0) * PAGE_SIZE, all.size());
        List<Tracking.Run> slice = all.subList(from, Math.min(from + PAGE_SIZE, all.size())).stream().map(store::full)
                .toList();
        Page<Tracking.Run> runs = new PageImpl<>(slice, PageRequest.of(Math.max(page, 0), PAGE_SIZE), all.size());
        Map<Long, String> names = new TreeMap<>();
        experiments.forEach(e -> names.put(e.id(), e.name()));
        model.addAttribute("runs", runs);
        model.addAttribute("experiments", experiments);
        model.addAttribute("experimentNames", names);
        model.addAttribute("experiment", experiment);
        return "runs/list";
    }

    @GetMapping("/runs/{uuid}")
    String run(@PathVariable String uuid, Model model) throws IOException {
        Tracking.RunInfo info = store.run(uuid).orElseThrow(NotFound::new);
        model.addAttribute("run", store.full(info));
        model.addAttribute("experiment", store.requireExperiment(info.experimentId()));
        model.addAttribute("histories", store.allHistories(info));
        try (var files = artifacts.filesOf(info)) {
            List<String> names = files.map(Path::toString).map(s -> s.replace('\\', '/')).toList();
            model.addAttribute("artifacts", names);
            model.addAttribute("images", names.stream().filter(RunsController::isImage).toList());
        }
        return "runs/detail";
    }

    /** The curves of a run as JSON for the chart (polled while the run is active). */
    @GetMapping("/runs/{uuid}/metrics.json")
    @ResponseBody
    Map<String, List<Tracking.Metric>> metrics(@PathVariable String uuid) {
        return store.allHistories(store.run(uuid).orElseThrow(NotFound::new));
    }

    @GetMapping("/runs/{uuid}/artifacts/{*path}")
    ResponseEntity<?> artifact(@PathVariable String uuid, @PathVariable String path) throws IOException {
        Tracking.RunInfo info = store.run(uuid).orElseThrow(NotFound::new);
        return artifacts.downloadOrList("/" + info.experimentId() + "/" + uuid + "/artifacts" + path, null);
    }

    static boolean isImage(String name) {
        String n = name.toLowerCase();
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".gif")
                || n.endsWith(".webp");
    }

    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NOT_FOUND)
    static class NotFound extends RuntimeException {
        NotFound() {
            super("No such run.");
        }
    }
}
