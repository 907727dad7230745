package org.stainbench.evaluation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.evaluation.*}.
 *
 * @param bootstrapResamples default number B of patient-bootstrap resamples of a new evaluation made from the form or
 *                           the API (0: no bootstrap); the lab preset keeps the lab's protocol (no bootstrap)
 * @param bootstrapThreads   threads computing the bootstrap resamples of one evaluation (capped by the metrics' threads)
 */
@ConfigurationProperties("stainbench.evaluation")
record EvaluationProperties(
        @DefaultValue("200") int bootstrapResamples,
        @DefaultValue("2") int bootstrapThreads) {

    EvaluationProperties {
        if (bootstrapResamples < 0 || bootstrapResamples > Protocol.MAX_BOOTSTRAP) {
            throw new IllegalArgumentException("stainbench.evaluation.bootstrap-resamples must be between 0 and "
                    + Protocol.MAX_BOOTSTRAP);
        }
        if (bootstrapThreads < 1) {
            throw new IllegalArgumentException("stainbench.evaluation.bootstrap-threads must be at least 1");
        }
    }
}
