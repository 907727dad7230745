/**
 * Blinded pathologist review sessions (issue 8): sessions, the rating screen, results and agreement statistics
 * ({@code review.stats}, pure). Contributes to other modules through their interfaces: the checkpoints' lineage
 * ({@link org.stainbench.review.ReviewLineage}) and the per-checkpoint outcomes of "which metric agrees with the
 * pathologists?" ({@link org.stainbench.review.ReviewOutcomes} implements
 * {@link org.stainbench.evaluation.PathologistOutcomes}); so review depends on evaluation, never the reverse.
 */
@ApplicationModule(
        allowedDependencies = {
            "shell",
            "accounts",
            "catalog",
            "checkpoints",
            "jobs",
            "evaluation",
            "evaluation :: metrics",
            "tiles"
        })
package org.stainbench.review;

import org.springframework.modulith.ApplicationModule;
