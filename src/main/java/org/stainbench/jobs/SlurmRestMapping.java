package org.stainbench.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The one place that knows slurmrestd's JSON, per OpenAPI version. v0.0.38 (Slurm 22.05): the script is a
 * sibling of {@code job}, {@code job_state} is a string, {@code exit_code} a raw wait status. v0.0.40+: the
 * script moves into {@code job}, numbers become {@code {set, infinite, number}} objects, {@code job_state}
 * an array and {@code exit_code} an object.
 */
final class SlurmRestMapping {

    private static final Pattern GPUS = Pattern.compile("gpu(?::[^:,()]+)?:(\\d+)");

    private SlurmRestMapping() {}

    static boolean modern(String version) {
        Matcher m = Pattern.compile("v0\\.0\\.(\\d+)").matcher(version);
        return m.matches() && Integer.parseInt(m.group(1)) >= 40;
    }

    static Map<String, Object> submitBody(SlurmSubmission s, String version) {
        boolean modern = modern(version);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", s.name());
        job.put("current_working_directory", s.workdir());
        job.put("standard_output", s.output());
        job.put("cpus_per_task", s.cpus());
        job.put("memory_per_node", modern ? number(s.memoryMb()) : s.memoryMb());
        job.put("time_limit", modern ? number(s.timeMinutes()) : s.timeMinutes());
        if (s.gpus() > 0) {
            // v0.0.38 takes sbatch's --gres syntax (tres_per_node is an unknown key there); v0.0.40+ takes TRES.
            if (modern) {
                job.put("tres_per_node", "gres/gpu:" + s.gpus());
            } else {
                job.put("gres", "gpu:" + s.gpus());
            }
        }
        if (!s.partition().isBlank()) {
            job.put("partition", s.partition());
        }
        if (!s.account().isBlank()) {
            job.put("account", s.account());
        }
        if (modern) {
            List<String> env = new ArrayList<>();
            s.environment().forEach((k, v) -> env.add(k + "=" + v));
            job.put("environment", env);
            job.put("script", s.script());
            return Map.of("job", job);
        }
        job.put("environment", s.environment());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", job);
        body.put("script", s.script());
        return body;
    }

    private static Map<String, Object> number(long n) {
        return Map.of("set", true, "infinite", false, "number", n);
    }

    static String jobId(JsonNode response) {
        errors(response);
        JsonNode id = response.path("job_id");
        if (id.isMissingNode() || id.isNull()) {
            throw new IllegalStateException("slurmrestd returned no job id: " + response);
        }
        return id.asString();
    }

    static SlurmGateway.Status status(JsonNode response) {
        JsonNode jobs = response.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            return new SlurmGateway.Status(null, null);
        }
        JsonNode job = jobs.get(0);
        JsonNode state = job.path("job_state");
        String s = state.isArray() ? (state.isEmpty() ? null : state.get(0).asString()) : state.asString();
        JsonNode exit = job.path("exit_code");
        Integer code = null;
        if (exit.isObject()) {
            JsonNode rc = exit.path("return_code");
            code = rc.isObject() ? rc.path("number").asInt() : rc.isMissingNode() ? null : rc.asInt();
        } else if (exit.isNumber()) {
            code = exit.asInt() >> 8; // v0.0.38: the raw wait status
        }
        return new SlurmGateway.Status(s, code);
    }

    static List<SlurmClusters.Partition> partitions(JsonNode response) {
        List<SlurmClusters.Partition> out = new ArrayList<>();
        for (JsonNode p : response.path("partitions")) {
            JsonNode nodes =
                    p.path("total_nodes").isObject() ? p.path("total_nodes").path("number") : p.path("total_nodes");
            if (nodes.isMissingNode()) {
                nodes = p.path("nodes").path("total");
            }
            String tres = p.path("tres").isObject()
                    ? p.path("tres").path("configured").asString("")
                    : p.path("tres").asString("");
            JsonNode state =
                    p.path("state").isMissingNode() ? p.path("partition").path("state") : p.path("state");
            out.add(new SlurmClusters.Partition(
                    p.path("name").asString(),
                    nodes.asInt(),
                    gpusIn(tres.replace("gres/", "")),
                    state.isArray() ? state.get(0).asString() : state.asString("")));
        }
        return out;
    }

    /** GPUs in a gres/tres string such as {@code gpu:a40:4(S:0-1)} or {@code cpu=2,gres/gpu=4}. */
    static int gpusIn(String gres) {
        if (gres == null) {
            return 0;
        }
        int total = 0;
        Matcher m = GPUS.matcher(gres);
        while (m.find()) {
            total += Integer.parseInt(m.group(1));
        }
        Matcher tres = Pattern.compile("gpu=(\\d+)").matcher(gres);
        while (tres.find()) {
            total += Integer.parseInt(tres.group(1));
        }
        return total;
    }

    static void errors(JsonNode response) {
        JsonNode errors = response.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode e = errors.get(0);
            throw new IllegalStateException("slurmrestd: " + e.path("error").asString("") + " "
                    + e.path("description").asString(""));
        }
    }
}
