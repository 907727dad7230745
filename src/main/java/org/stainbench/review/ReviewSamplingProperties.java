package org.stainbench.review;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stainbench.review.*} settings of matched sampling and blinding (issue 17).
 *
 * @param repeatMinDistance least number of steps between an item's first showing and its repeat in a rater's sequence,
 *                          fixed into each new session when it is created
 * @param imageMinMillis    least time a rater image request takes, so the time to serve an image does not depend on
 *                          the tile behind it (its kind, native size or storage); 0 turns the floor off
 */
@ConfigurationProperties("stainbench.review")
record ReviewSamplingProperties(@DefaultValue("5") int repeatMinDistance, @DefaultValue("60") int imageMinMillis) {

    ReviewSamplingProperties {
        if (repeatMinDistance < 1 || repeatMinDistance > 1000) {
            throw new IllegalArgumentException("stainbench.review.repeat-min-distance must be between 1 and 1000");
        }
        if (imageMinMillis < 0 || imageMinMillis > 10_000) {
            throw new IllegalArgumentException("stainbench.review.image-min-millis must be between 0 and 10000");
        }
    }
}
