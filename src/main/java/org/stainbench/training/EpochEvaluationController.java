package org.stainbench.training;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "Evaluate epochs …" on a run page: the request, the live part of the section, the metric-vs-epoch data. */
@Controller
class EpochEvaluationController {

    private final EpochEvaluations requests;
    private final EpochSection section;
    private final Runs runs;
    private final RunPage page;

    EpochEvaluationController(EpochEvaluations requests, EpochSection section, Runs runs, RunPage page) {
        this.requests = requests;
        this.section = section;
        this.runs = runs;
        this.page = page;
    }

    @PostMapping("/runs/{uuid}/evaluate-epochs")
    String request(
            @PathVariable String uuid, @ModelAttribute EpochSection.Form form, Principal me, RedirectAttributes flash) {
        runs.run(uuid).orElseThrow(RunsController.NotFound::new);
        try {
            EpochEvaluations.Request r = requests.request(
                    uuid,
                    form.epochs(),
                    form.sourceDatasetId(),
                    form.realDatasetId(),
                    form.extractorId(),
                    section.protocol(form),
                    form.name(),
                    me.getName());
            flash.addFlashAttribute(
                    "message",
                    "Evaluation of epoch" + (r.epochs().size() == 1 ? " " : "s ")
                            + r.epochsText() + " requested: "
                            + (r.state().equals(EpochEvaluations.LAUNCHED)
                                    ? "the evaluation is queued."
                                    : "it starts once every generated set is ready."));
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            flash.addFlashAttribute("epochForm", form);
        }
        return "redirect:/runs/" + uuid + "#epoch-section";
    }

    /** The live part (requests and chart), a fragment for htmx polling. */
    @HxRequest
    @GetMapping("/runs/{uuid}/by-epoch")
    String liveFragment(@PathVariable String uuid, Model model) {
        Tracking.RunInfo info = runs.run(uuid)
                .filter(r -> !r.lifecycleStage().equals("deleted"))
                .orElseThrow(RunsController.NotFound::new);
        Tracking.Run run = runs.full(info);
        model.addAttribute("run", run);
        section.fill(model, run, null);
        return "runs/detail :: by-epoch";
    }

    /** The same address without htmx: the whole run page. */
    @GetMapping("/runs/{uuid}/by-epoch")
    String live(@PathVariable String uuid, Model model, org.springframework.security.core.Authentication auth)
            throws java.io.IOException {
        return page.fill(uuid, model, auth);
    }

    @GetMapping("/runs/{uuid}/epochs.json")
    @ResponseBody
    EpochSection.Chart chart(@PathVariable String uuid) {
        runs.run(uuid).orElseThrow(RunsController.NotFound::new);
        return section.chart(uuid);
    }
}
