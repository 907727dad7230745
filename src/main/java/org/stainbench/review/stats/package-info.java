/**
 * Pure statistics for blinded review results: Cohen's and weighted kappa, Fleiss' kappa, Krippendorff's alpha
 * (nominal, ordinal, interval; missing answers allowed), Wilson interval, exact binomial test against 0.5 and a
 * seeded percentile bootstrap. No Spring, JPA or I/O; each tested against a published example or a
 * scipy/statsmodels/scikit-learn value (src/test/python/review_stats_reference.py).
 */
package org.stainbench.review.stats;
