package org.stainbench.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A row of {@code command_template} (V2) for {@link CommandTemplateRepository}; the module reads the
 * {@link CommandTemplates.Template} record it maps to. Parameters, environment, inputs and outputs are JSON in
 * {@code text} columns, as before.
 */
@Entity
@Table(name = "command_template")
class CommandTemplateEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 128)
    private String name;

    @Column(length = 1000)
    private String description;

    @Column(nullable = false)
    private String command;

    @Column(nullable = false)
    private String parameters;

    @Column(nullable = false)
    private String environment;

    @Column(nullable = false)
    private String inputs;

    @Column(nullable = false)
    private String outputs;

    @Column(nullable = false)
    private int gpus;

    @Column(name = "gpu_memory_mb", nullable = false)
    private long gpuMemoryMb;

    @Column(nullable = false)
    private int cpus;

    @Column(name = "memory_mb", nullable = false)
    private long memoryMb;

    @Column(name = "time_limit_s", nullable = false)
    private long timeLimitS;

    @Column(name = "updated_by", nullable = false, length = 64)
    private String updatedBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected CommandTemplateEntity() {}

    /** Writes every column of a checked template (new or changed). */
    CommandTemplateEntity set(
            String name,
            String description,
            String command,
            List<CommandTemplates.Parameter> parameters,
            Map<String, String> environment,
            List<String> inputs,
            List<String> outputs,
            Resources resources,
            String by,
            Instant at) {
        this.name = name;
        this.description = description;
        this.command = command;
        this.parameters = Json.write(parameters);
        this.environment = Json.write(environment);
        this.inputs = Json.write(inputs);
        this.outputs = Json.write(outputs);
        this.gpus = resources.gpus();
        this.gpuMemoryMb = resources.gpuMemoryMb();
        this.cpus = resources.cpus();
        this.memoryMb = resources.memoryMb();
        this.timeLimitS = resources.timeLimit().toSeconds();
        this.updatedBy = by;
        // to the microsecond, as the column keeps it: the row read back in the same transaction is the stored one
        this.updatedAt = at.truncatedTo(ChronoUnit.MICROS);
        return this;
    }

    Long id() {
        return id;
    }

    CommandTemplates.Template toTemplate() {
        return new CommandTemplates.Template(
                id,
                name,
                description,
                command,
                List.of(Json.read(parameters, CommandTemplates.Parameter[].class)),
                Json.stringMap(environment),
                Json.stringList(inputs),
                Json.stringList(outputs),
                new Resources(gpus, gpuMemoryMb, cpus, memoryMb, Duration.ofSeconds(timeLimitS)),
                updatedBy,
                updatedAt);
    }
}
