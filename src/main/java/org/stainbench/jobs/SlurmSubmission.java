package org.stainbench.jobs;

import java.util.Map;

/**
 * One Slurm submission, derived from a job's spec: the options (as {@code #SBATCH} lines for sbatch and as
 * JSON fields for slurmrestd) and a batch script that runs the agent in one-job mode.
 */
record SlurmSubmission(
        String name,
        int gpus,
        int cpus,
        long memoryMb,
        long timeMinutes,
        String partition,
        String account,
        String workdir,
        String output,
        String script,
        Map<String, String> environment) {

    static SlurmSubmission of(
            JobRow job,
            SlurmProperties props,
            String java,
            String jar,
            String serverUrl,
            String workdir,
            Map<String, String> environment) {
        Resources r = job.resources();
        long minutes = Math.max(1, (r.timeLimit().toSeconds() + 59) / 60);
        String output = workdir + "/slurm-" + job.id() + "-attempt" + job.attempt() + "-%j.out";
        String script = "#!/bin/bash\n"
                + "# Stainbench job " + job.id() + " attempt " + job.attempt() + ": "
                + job.title().replace('\n', ' ') + "\n"
                + "#SBATCH --job-name=stainbench-" + job.id() + "\n"
                + "#SBATCH --output=" + output + "\n"
                + "#SBATCH --chdir=" + workdir + "\n"
                + "#SBATCH --cpus-per-task=" + r.cpus() + "\n"
                + "#SBATCH --mem=" + r.memoryMb() + "M\n"
                + "#SBATCH --time=" + minutes + "\n"
                + (r.gpus() > 0 ? "#SBATCH --gres=gpu:" + r.gpus() + "\n" : "")
                + (props.partition().isBlank() ? "" : "#SBATCH --partition=" + props.partition() + "\n")
                + (props.account().isBlank() ? "" : "#SBATCH --account=" + props.account() + "\n")
                + "# The agent in one-job mode runs the command, streams its log and reports its exit code;\n"
                + "# STAINBENCH_NODE_TOKEN and STAINBENCH_ATTEMPT_TOKEN come in the job's environment.\n"
                + "exec " + TemplateText.quote(java) + " -Xmx256m -jar " + TemplateText.quote(jar) + " agent --server "
                + TemplateText.quote(serverUrl) + " --workdir " + TemplateText.quote(workdir) + " --one-job " + job.id()
                + "\n";
        return new SlurmSubmission(
                "stainbench-" + job.id(),
                r.gpus(),
                r.cpus(),
                r.memoryMb(),
                minutes,
                props.partition(),
                props.account(),
                workdir,
                output,
                script,
                environment);
    }
}
