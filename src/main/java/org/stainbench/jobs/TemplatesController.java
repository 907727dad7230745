package org.stainbench.jobs;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Command templates: list, create, edit (members), launch with parameter values (members). */
@Controller
class TemplatesController {

    record TemplateForm(
            String name,
            String description,
            String command,
            String parameters,
            String environment,
            String inputs,
            String outputs,
            Integer gpus,
            Long gpuMemoryMb,
            Integer cpus,
            Long memoryMb,
            Long timeLimitMinutes) {

        Resources resources() {
            return new Resources(
                    gpus == null ? 0 : gpus,
                    gpuMemoryMb == null ? 0 : gpuMemoryMb,
                    cpus == null ? 1 : cpus,
                    memoryMb == null ? 1024 : memoryMb,
                    Duration.ofMinutes(timeLimitMinutes == null ? 60 : timeLimitMinutes));
        }
    }

    private final CommandTemplates templates;
    private final SlurmClusters slurm;

    TemplatesController(CommandTemplates templates, SlurmClusters slurm) {
        this.templates = templates;
        this.slurm = slurm;
    }

    @GetMapping("/jobs/templates")
    String list(Model model) {
        model.addAttribute("templates", templates.all());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new TemplateForm("", "", "", "", "", "", "", 0, 0L, 1, 1024L, 60L));
        }
        return "jobs/templates";
    }

    @GetMapping("/jobs/templates/{id:\\d+}")
    String show(@PathVariable long id, Model model) {
        CommandTemplates.Template t = templates
                .find(id)
                .orElseThrow(() -> new ResponseStatusException(
                        org.springframework.http.HttpStatus.NOT_FOUND, "No template " + id + "."));
        model.addAttribute("template", t);
        if (!model.containsAttribute("form")) {
            Resources r = t.resources();
            model.addAttribute(
                    "form",
                    new TemplateForm(
                            t.name(),
                            t.description(),
                            t.command(),
                            parameterLines(t.parameters()),
                            EnvLines.lines(t.environment()),
                            String.join("\n", t.inputs()),
                            String.join("\n", t.outputs()),
                            r.gpus(),
                            r.gpuMemoryMb(),
                            r.cpus(),
                            r.memoryMb(),
                            Math.max(1L, r.timeLimit().toMinutes())));
        }
        model.addAttribute("slurmEnabled", slurm.enabled());
        return "jobs/template";
    }

    @PostMapping("/jobs/templates")
    String create(TemplateForm form, Principal who, RedirectAttributes flash) {
        return save(null, form, who, flash);
    }

    @PostMapping("/jobs/templates/{id:\\d+}")
    String update(@PathVariable long id, TemplateForm form, Principal who, RedirectAttributes flash) {
        return save(id, form, who, flash);
    }

    private String save(Long id, TemplateForm form, Principal who, RedirectAttributes flash) {
        try {
            long saved = templates.save(
                    id,
                    form.name(),
                    form.description(),
                    form.command(),
                    parseParameters(form.parameters()),
                    EnvLines.parseEnv(form.environment()),
                    EnvLines.split(form.inputs()),
                    EnvLines.split(form.outputs()),
                    form.resources(),
                    who.getName());
            flash.addFlashAttribute("message", "Saved template '" + form.name().trim() + "'.");
            return "redirect:/jobs/templates/" + saved;
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            flash.addFlashAttribute("form", form);
            return id == null ? "redirect:/jobs/templates" : "redirect:/jobs/templates/" + id;
        }
    }

    @PostMapping("/jobs/templates/{id:\\d+}/launch")
    String launch(
            @PathVariable long id, @RequestParam Map<String, String> all, Principal who, RedirectAttributes flash) {
        Map<String, String> values = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith("p.")) {
                values.put(k.substring(2), v);
            }
        });
        try {
            String runId = all.getOrDefault("mlflowRunId", "");
            long job = templates.launch(
                    id,
                    values,
                    "slurm".equals(all.get("executor")),
                    runId.isBlank() ? null : runId.trim(),
                    who.getName());
            flash.addFlashAttribute("message", "Job " + job + " queued.");
            return "redirect:/jobs/" + job;
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/jobs/templates/" + id;
        }
    }

    static String parameterLines(List<CommandTemplates.Parameter> parameters) {
        StringBuilder b = new StringBuilder();
        for (CommandTemplates.Parameter p : parameters) {
            b.append(p.name());
            if (p.defaultValue() != null) {
                b.append('=').append(p.defaultValue());
            }
            b.append('\n');
        }
        return b.toString().strip();
    }

    /** One parameter a line: {@code name} (required) or {@code name=default}. */
    static List<CommandTemplates.Parameter> parseParameters(String text) {
        List<CommandTemplates.Parameter> out = new ArrayList<>();
        for (String line : EnvLines.split(text)) {
            int eq = line.indexOf('=');
            out.add(
                    eq < 0
                            ? new CommandTemplates.Parameter(line, null)
                            : new CommandTemplates.Parameter(
                                    line.substring(0, eq).trim(),
                                    line.substring(eq + 1).trim()));
        }
        return out;
    }
}
