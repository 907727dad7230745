package org.stainbench.jobs;

import java.util.List;
import java.util.Map;

/**
 * What an external job runs (stored as JSON in {@code job.spec}): the rendered shell command, its
 * environment, input artifacts, declared outputs (file names relative to the job's work folder),
 * the MLflow run it reports to, and Slurm placement.
 */
record CommandSpec(
        String command,
        Map<String, String> environment,
        List<String> inputs,
        List<String> outputs,
        String mlflowRunId,
        String partition,
        String account,
        String template) {

    CommandSpec {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    static CommandSpec of(String json) {
        return json == null ? null : Json.read(json, CommandSpec.class);
    }
}
