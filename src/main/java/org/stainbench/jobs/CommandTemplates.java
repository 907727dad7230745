package org.stainbench.jobs;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;

/**
 * Command templates: a command with named parameters ({@code {name}}), environment, inputs, declared
 * outputs and resources. A template is checked when saved (every parameter it uses is declared, names
 * are valid); launching checks that every parameter without a default has a value.
 */
@Service
class CommandTemplates {

    /** A declared parameter; a null default means the launcher must give a value. */
    record Parameter(String name, String defaultValue) {}

    record Template(
            long id,
            String name,
            String description,
            String command,
            List<Parameter> parameters,
            Map<String, String> environment,
            List<String> inputs,
            List<String> outputs,
            Resources resources,
            String updatedBy,
            java.time.Instant updatedAt) {}

    private final CommandTemplateRepository templates;
    private final JobQueue queue;
    private final Clock clock;
    private final ApplicationEventPublisher activity;

    CommandTemplates(
            CommandTemplateRepository templates, JobQueue queue, Clock clock, ApplicationEventPublisher activity) {
        this.activity = activity;
        this.templates = templates;
        this.queue = queue;
        this.clock = clock;
    }

    List<Template> all() {
        return templates.findAllByOrderByNameAsc().stream()
                .map(CommandTemplateEntity::toTemplate)
                .toList();
    }

    Optional<Template> find(long id) {
        return templates.findById(id).map(CommandTemplateEntity::toTemplate);
    }

    /**
     * Checks and saves (id null: new), recorded in the activity trail. Every problem is an IllegalArgumentException
     * with a clear message.
     */
    long save(
            Long id,
            String name,
            String description,
            String command,
            List<Parameter> parameters,
            Map<String, String> environment,
            List<String> inputs,
            List<String> outputs,
            Resources resources,
            String by) {
        long saved = write(id, name, description, command, parameters, environment, inputs, outputs, resources, by);
        activity.publishEvent(Activity.of(
                by,
                id == null ? "registered" : "edited",
                "command template",
                saved,
                (id == null ? "Created" : "Edited") + " command template '" + name.trim() + "'",
                "/jobs/templates/" + saved));
        return saved;
    }

    private long write(
            Long id,
            String name,
            String description,
            String command,
            List<Parameter> parameters,
            Map<String, String> environment,
            List<String> inputs,
            List<String> outputs,
            Resources resources,
            String by) {
        String n = name == null ? "" : name.trim();
        if (!n.matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}")) {
            throw new IllegalArgumentException("A template name is 1–128 letters, digits, spaces, '.', '_' or '-'.");
        }
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("A template needs a command.");
        }
        Set<String> declared = new java.util.LinkedHashSet<>();
        for (Parameter p : parameters) {
            if (!TemplateText.NAME.matcher(p.name()).matches()) {
                throw new IllegalArgumentException(
                        "'" + p.name() + "' is not a valid parameter name (letters, digits, '_').");
            }
            if (!declared.add(p.name())) {
                throw new IllegalArgumentException("Parameter '" + p.name() + "' is declared twice.");
            }
        }
        checkUses("the command", command, declared);
        TemplateText.checkPlacement(command);
        for (var e : environment.entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not a valid environment variable name.");
            }
            checkUses("environment variable " + e.getKey(), e.getValue(), declared);
        }
        for (String o : outputs) {
            checkUses("output " + o, o, declared);
            if (o.startsWith("/") || o.contains("..")) {
                throw new IllegalArgumentException(
                        "Output '" + o + "' must be a file name inside the job's work folder.");
            }
        }
        for (String i : inputs) {
            checkUses("input " + i, i, declared);
        }
        Long other = templates.findByName(n).map(CommandTemplateEntity::id).orElse(null);
        if (other != null && !other.equals(id)) {
            throw new IllegalArgumentException("A template named '" + n + "' already exists.");
        }
        CommandTemplateEntity row = id == null
                ? new CommandTemplateEntity()
                : templates
                        .findById(id)
                        .orElseThrow(() -> new IllegalArgumentException("No template with id " + id + "."));
        row.set(
                n,
                blankToNull(description),
                command,
                parameters,
                environment,
                inputs,
                outputs,
                resources,
                by,
                clock.instant());
        return templates.saveAndFlush(row).id();
    }

    /** Renders the template with these values and queues the job. */
    long launch(long id, Map<String, String> given, boolean slurm, String mlflowRunId, String by) {
        Template t = find(id).orElseThrow(() -> new IllegalArgumentException("No template with id " + id + "."));
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter p : t.parameters()) {
            String v = given.get(p.name());
            if (v == null || v.isBlank()) {
                v = p.defaultValue();
            }
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("Missing value for parameter '" + p.name() + "'.");
            }
            values.put(p.name(), v.trim());
        }
        for (String key : given.keySet()) {
            if (t.parameters().stream().noneMatch(p -> p.name().equals(key))) {
                throw new IllegalArgumentException("Template '" + t.name() + "' has no parameter '" + key + "'.");
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        t.environment().forEach((k, v) -> env.put(k, TemplateText.render(v, values, false)));
        List<String> outputs = t.outputs().stream()
                .map(o -> TemplateText.render(o, values, false))
                .toList();
        List<String> inputs = t.inputs().stream()
                .map(o -> TemplateText.render(o, values, false))
                .toList();
        String title = t.name() + " "
                + values.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .reduce((a, b) -> a + " " + b)
                        .orElse("");
        long job = queue.submitCommand(
                new CommandJob(
                        "command",
                        title.trim(),
                        TemplateText.render(t.command(), values, true),
                        env,
                        inputs,
                        outputs,
                        t.resources(),
                        by,
                        mlflowRunId,
                        slurm),
                t.name(),
                values);
        activity.publishEvent(Activity.of(
                by,
                "launched",
                ActivitySubject.JOB,
                job,
                "Launched job " + job + " from command template " + id,
                "/jobs/" + job));
        return job;
    }

    private static void checkUses(String where, String text, Set<String> declared) {
        for (String used : TemplateText.parameters(text)) {
            if (!declared.contains(used)) {
                throw new IllegalArgumentException("Unknown parameter {" + used + "} in " + where
                        + ": declare it or remove it (write ${" + used + "} for a shell variable).");
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
