/**
 * Pure statistics for blinded review results: Cohen's and weighted kappa, Fleiss' kappa, Krippendorff's alpha
 * (nominal, ordinal, interval; missing answers allowed), Wilson interval, exact binomial test against 0.5, a
 * seeded percentile bootstrap of a mean, the item bootstrap of agreement coefficients ({@link
 * org.stainbench.review.stats.ItemBootstrap}), the two-way (rater x item) cluster bootstrap of pooled accuracy
 * ({@link org.stainbench.review.stats.ClusterBootstrap}) on a documented SplitMix64 stream, and numpy's linear
 * quantiles. No Spring, JPA or I/O; each tested against a published example or a scipy/statsmodels/scikit-learn
 * value (src/test/python/review_stats_reference.py) or a numpy re-implementation run at test time
 * (src/test/python/review_bootstrap_reference.py).
 */
package org.stainbench.review.stats;
