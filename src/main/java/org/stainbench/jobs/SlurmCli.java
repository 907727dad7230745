package org.stainbench.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Slurm through {@code sbatch}, {@code squeue}, {@code scontrol}, {@code scancel} and {@code sinfo} on this host. */
class SlurmCli implements SlurmGateway {

    private static final Pattern JOB_STATE = Pattern.compile("\\bJobState=(\\S+)");
    private static final Pattern EXIT_CODE = Pattern.compile("\\bExitCode=(\\d+):(\\d+)");

    record Result(int exit, String out, String err) {}

    static Result exec(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not answer within 60 s");
            }
            return new Result(
                    p.exitValue(),
                    new String(out, StandardCharsets.UTF_8).trim(),
                    new String(err, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }

    @Override
    public String submit(SlurmSubmission s) {
        try {
            Path dir = Files.createDirectories(Path.of(s.workdir()));
            Path script = dir.resolve(s.name() + "-" + System.nanoTime() + ".sbatch");
            Files.writeString(script, s.script());
            // Options are in the script's #SBATCH lines; the environment (with the tokens) is exported from here.
            Result r = exec(List.of("sbatch", "--parsable", "--export=ALL", script.toString()), s.environment());
            if (r.exit() != 0) {
                throw new IllegalStateException(
                        "sbatch refused the job: " + (r.err().isEmpty() ? r.out() : r.err()));
            }
            return r.out().split(";")[0].trim();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the batch script: " + e.getMessage(), e);
        }
    }

    @Override
    public Status status(String id) {
        Result q = exec(List.of("squeue", "-h", "-j", id, "-o", "%T"), Map.of());
        if (q.exit() == 0 && !q.out().isBlank()) {
            return new Status(q.out().lines().findFirst().orElse("").trim(), null);
        }
        // Finished jobs leave squeue at once and scontrol after MinJobAge: the application keeps the state.
        Result c = exec(List.of("scontrol", "show", "job", "-o", id), Map.of());
        if (c.exit() != 0) {
            return new Status(null, null);
        }
        Matcher state = JOB_STATE.matcher(c.out());
        Matcher exit = EXIT_CODE.matcher(c.out());
        return new Status(state.find() ? state.group(1) : null, exit.find() ? Integer.parseInt(exit.group(1)) : null);
    }

    @Override
    public void cancel(String id) {
        Result r = exec(List.of("scancel", id), Map.of());
        if (r.exit() != 0) {
            throw new IllegalStateException("scancel " + id + " failed: " + r.err());
        }
    }

    @Override
    public List<SlurmClusters.Partition> partitions() {
        Result r = exec(List.of("sinfo", "-h", "-o", "%P|%D|%G|%a"), Map.of());
        if (r.exit() != 0) {
            throw new IllegalStateException("sinfo failed: " + r.err());
        }
        List<SlurmClusters.Partition> out = new ArrayList<>();
        for (String line : r.out().split("\\R")) {
            String[] f = line.split("\\|");
            if (f.length < 4) {
                continue;
            }
            int nodes = Integer.parseInt(f[1].trim());
            out.add(new SlurmClusters.Partition(
                    f[0].replace("*", ""), nodes, SlurmRestMapping.gpusIn(f[2]) * nodes, f[3]));
        }
        return out;
    }
}
