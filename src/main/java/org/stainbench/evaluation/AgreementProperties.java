package org.stainbench.evaluation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.evaluation.agreement.*}: "which metric agrees with the pathologists?".
 *
 * @param resamples bootstrap resamples (over checkpoints and raters) behind each interval of rho and tau
 * @param seed      the seed of the bootstrap stream ({@code SplittableRandom(seed)}), the same for every outcome and metric
 */
@ConfigurationProperties("stainbench.evaluation.agreement")
record AgreementProperties(@DefaultValue("1000") int resamples, @DefaultValue("16") long seed) {

    AgreementProperties {
        if (resamples < 2) {
            throw new IllegalArgumentException("stainbench.evaluation.agreement.resamples must be at least 2");
        }
    }
}
