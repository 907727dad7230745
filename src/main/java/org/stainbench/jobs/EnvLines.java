package org.stainbench.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text areas of the job and template forms: one entry per line (blank lines dropped), environment variables as
 * {@code NAME=value} lines. Shared by {@link JobsController} and {@link TemplatesController}.
 */
final class EnvLines {

    private EnvLines() {}

    static String lines(Map<String, String> env) {
        StringBuilder b = new StringBuilder();
        env.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString().strip();
    }

    static Map<String, String> parseEnv(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : split(text)) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Environment line '" + line + "' is not NAME=value.");
            }
            env.put(line.substring(0, eq).trim(), line.substring(eq + 1));
        }
        return env;
    }

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    out.add(line.trim());
                }
            }
        }
        return out;
    }
}
