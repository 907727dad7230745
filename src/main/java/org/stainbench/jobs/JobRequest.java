package org.stainbench.jobs;

import java.util.Map;

/** What to run. For embedded work only type/title/params/submittedBy matter; resources default to "1 CPU". */
public record JobRequest(
        String type, String title, Map<String, String> params, String submittedBy, Resources resources) {

    public JobRequest {
        params = params == null ? Map.of() : Map.copyOf(params);
        resources = resources == null ? Resources.cpu() : resources;
    }

    public static JobRequest embedded(String type, String title, Map<String, String> params, String submittedBy) {
        return new JobRequest(type, title, params, submittedBy, Resources.cpu());
    }
}
