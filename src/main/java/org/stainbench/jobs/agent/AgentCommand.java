package org.stainbench.jobs.agent;

import java.nio.file.Path;
import java.util.Map;

import org.stainbench.shell.CliCommand;

/**
 * {@code java -jar stainbench.jar agent --server URL --token T --workdir DIR [--name N]
 * [--one-job JOBID --attempt-token X]}: a node agent, without the web server.
 */
public class AgentCommand implements CliCommand {

    public AgentCommand() {
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String usage() {
        return "agent --server URL --token T --workdir DIR [--name N] [--one-job JOBID --attempt-token X]";
    }

    @Override
    public int run(String[] args) throws Exception {
        Map<String, String> a;
        try {
            a = Agent.parseArgs(args);
            if (!a.containsKey("server") || !a.containsKey("workdir")) {
                throw new IllegalArgumentException("--server and --workdir are required.");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\nusage: " + usage());
            return 2;
        }
        String token = a.getOrDefault("token", System.getenv("STAINBENCH_NODE_TOKEN"));
        if (token == null || token.isBlank()) {
            System.err.println("A NODE token is required: --token or STAINBENCH_NODE_TOKEN.\nusage: " + usage());
            return 2;
        }
        Long oneJob = a.containsKey("one-job") ? Long.parseLong(a.get("one-job")) : null;
        String attempt = a.getOrDefault("attempt-token", System.getenv("STAINBENCH_ATTEMPT_TOKEN"));
        if (oneJob != null && (attempt == null || attempt.isBlank())) {
            System.err.println("--one-job needs --attempt-token (or STAINBENCH_ATTEMPT_TOKEN).");
            return 2;
        }
        try {
            return new Agent(new Agent.Options(a.get("server"), token, Path.of(a.get("workdir")), a.get("name"),
                    oneJob, attempt)).run();
        } catch (IllegalStateException e) {
            System.err.println("agent: " + e.getMessage());
            return 2;
        }
    }
}
