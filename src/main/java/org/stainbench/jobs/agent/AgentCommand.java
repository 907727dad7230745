package org.stainbench.jobs.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stainbench.shell.CliCommand;

/**
 * {@code java -jar stainbench.jar agent --server URL --workdir DIR [--token-file PATH | --token-stdin] [--name N]
 * [--one-job JOBID --attempt-token X]}: a node agent, without the web server. The NODE token comes from a file, from
 * the first line of standard input, or from {@code STAINBENCH_NODE_TOKEN}; never from the command line, where every
 * process on the machine (the jobs included) could read it in {@code /proc/PID/cmdline}.
 */
public class AgentCommand implements CliCommand {

    static final String TOKEN_ON_COMMAND_LINE = "--token is refused: a token on the command line can be read by every "
            + "process on this machine (/proc/PID/cmdline), the jobs included. Give the NODE token with "
            + "--token-file PATH, --token-stdin, or the STAINBENCH_NODE_TOKEN environment variable.";

    public AgentCommand() {}

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String usage() {
        return "agent --server URL --workdir DIR [--token-file PATH | --token-stdin] [--name N]"
                + " [--one-job JOBID --attempt-token X]   (or the token in STAINBENCH_NODE_TOKEN)";
    }

    @Override
    public int run(String[] args) throws Exception {
        Map<String, String> a;
        boolean fromStdin = false;
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--token-stdin")) {
                fromStdin = true;
            } else {
                rest.add(arg);
            }
        }
        try {
            a = Agent.parseArgs(rest.toArray(String[]::new));
            if (a.containsKey("token")) {
                throw new IllegalArgumentException(TOKEN_ON_COMMAND_LINE);
            }
            if (!a.containsKey("server") || !a.containsKey("workdir")) {
                throw new IllegalArgumentException("--server and --workdir are required.");
            }
            if (fromStdin && a.containsKey("token-file")) {
                throw new IllegalArgumentException("Give either --token-file or --token-stdin, not both.");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\nusage: " + usage());
            return 2;
        }
        String token;
        try {
            token = fromStdin
                    ? firstLine(new String(System.in.readNBytes(4096), StandardCharsets.UTF_8))
                    : a.containsKey("token-file")
                            ? firstLine(Files.readString(Path.of(a.get("token-file"))))
                            : System.getenv("STAINBENCH_NODE_TOKEN");
        } catch (IOException e) {
            System.err.println("Cannot read the NODE token: " + e.getMessage());
            return 2;
        }
        if (token == null || token.isBlank()) {
            System.err.println("A NODE token is required: --token-file PATH, --token-stdin or STAINBENCH_NODE_TOKEN."
                    + "\nusage: " + usage());
            return 2;
        }
        Long oneJob = a.containsKey("one-job") ? Long.parseLong(a.get("one-job")) : null;
        String attempt = a.getOrDefault("attempt-token", System.getenv("STAINBENCH_ATTEMPT_TOKEN"));
        if (oneJob != null && (attempt == null || attempt.isBlank())) {
            System.err.println("--one-job needs --attempt-token (or STAINBENCH_ATTEMPT_TOKEN).");
            return 2;
        }
        try {
            return new Agent(new Agent.Options(
                            a.get("server"), token, Path.of(a.get("workdir")), a.get("name"), oneJob, attempt))
                    .run();
        } catch (IllegalStateException e) {
            System.err.println("agent: " + e.getMessage());
            return 2;
        }
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.trim();
    }
}
