package org.stainbench.jobs.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GPUs as {@code nvidia-smi --query-gpu=index,name,memory.total,uuid --format=csv,noheader,nounits} reports
 * them; no {@code nvidia-smi} on PATH (or one that fails) means no GPUs.
 */
public final class GpuDiscovery {

    public static final List<String> COMMAND =
            List.of("nvidia-smi", "--query-gpu=index,name,memory.total,uuid", "--format=csv,noheader,nounits");

    private GpuDiscovery() {}

    public static List<Protocol.Gpu> discover() {
        try {
            Process p = new ProcessBuilder(COMMAND).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return List.of();
            }
            return parse(out);
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Parses the CSV lines ({@code 0, NVIDIA A40, 46068, GPU-…}); lines that do not parse are skipped. */
    public static List<Protocol.Gpu> parse(String csv) {
        List<Protocol.Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] f = line.split(",");
            if (f.length < 4) {
                continue;
            }
            try {
                int index = Integer.parseInt(f[0].trim());
                String uuid = f[f.length - 1].trim();
                long memory = Long.parseLong(f[f.length - 2].trim());
                // A model name may itself contain commas: it is everything between index and memory.
                String name = String.join(",", java.util.Arrays.copyOfRange(f, 1, f.length - 2))
                        .trim();
                gpus.add(new Protocol.Gpu(index, name, memory, uuid));
            } catch (NumberFormatException e) {
                // not a GPU line (e.g. an error message)
            }
        }
        return gpus;
    }
}
