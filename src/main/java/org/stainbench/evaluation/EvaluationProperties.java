package org.stainbench.evaluation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.evaluation.*}.
 *
 * @param bootstrapResamples default number B of patient-bootstrap resamples of a new evaluation made from the form or
 *                           the API (0: no bootstrap); the lab preset keeps the lab's protocol (no bootstrap)
 * @param bootstrapThreads   threads computing the bootstrap resamples of one evaluation (capped by the metrics' threads)
 * @param featuresOn         where an evaluation's features the cache lacks are computed: {@code server} (the server's
 *                           CPU, in the evaluation job) or {@code node} (a job on a node agent, issue 21)
 * @param featuresGpus       GPUs the node job asks for (0: any node; 1: a GPU node, features on CUDA when present)
 * @param featuresUploadMaxBytes largest features upload of one node job (413 above)
 */
@ConfigurationProperties("stainbench.evaluation")
record EvaluationProperties(
        @DefaultValue("200") int bootstrapResamples,
        @DefaultValue("2") int bootstrapThreads,
        @DefaultValue("server") String featuresOn,
        @DefaultValue("0") int featuresGpus,
        @DefaultValue("2GB") org.springframework.util.unit.DataSize featuresUploadMaxBytes) {

    boolean featuresOnNode() {
        return "node".equals(featuresOn);
    }

    EvaluationProperties {
        if (bootstrapResamples < 0 || bootstrapResamples > Protocol.MAX_BOOTSTRAP) {
            throw new IllegalArgumentException(
                    "stainbench.evaluation.bootstrap-resamples must be between 0 and " + Protocol.MAX_BOOTSTRAP);
        }
        if (!"server".equals(featuresOn) && !"node".equals(featuresOn)) {
            throw new IllegalArgumentException(
                    "stainbench.evaluation.features-on must be server or node, not '" + featuresOn + "'");
        }
        if (featuresGpus < 0 || featuresGpus > 16) {
            throw new IllegalArgumentException("stainbench.evaluation.features-gpus must be between 0 and 16");
        }
        if (bootstrapThreads < 1) {
            throw new IllegalArgumentException("stainbench.evaluation.bootstrap-threads must be at least 1");
        }
    }
}
