package org.stainbench.jobs;

import java.util.List;
import java.util.Map;

/**
 * An external job for {@link JobQueue#submitCommand}: a shell command run by a node agent, or by Slurm
 * ({@code slurm = true}) through a one-job agent in the allocation.
 *
 * @param type        what the work is ({@code command}, {@code train}, {@code generate}, …), for filters
 * @param command     the shell command, run with {@code bash -c} in the job's own work folder
 * @param environment extra environment variables
 * @param inputs      artifact paths the job reads (recorded with the job)
 * @param outputs     file names, relative to the work folder, the agent uploads when the job ends
 * @param mlflowRunId given to the job as {@code MLFLOW_RUN_ID} when not null
 */
public record CommandJob(
        String type,
        String title,
        String command,
        Map<String, String> environment,
        List<String> inputs,
        List<String> outputs,
        Resources resources,
        String submittedBy,
        String mlflowRunId,
        boolean slurm) {

    public CommandJob {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        resources = resources == null ? Resources.cpu() : resources;
        type = type == null || type.isBlank() ? "command" : type;
    }

    /** A shell command for any node agent with the given resources. */
    public static CommandJob shell(String title, String command, Resources resources, String submittedBy) {
        return new CommandJob(
                "command", title, command, Map.of(), List.of(), List.of(), resources, submittedBy, null, false);
    }
}
