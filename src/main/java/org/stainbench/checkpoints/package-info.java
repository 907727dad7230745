/**
 * Checkpoints (LoRA adapters and the classical baselines), the generated sets made by applying one to a
 * source dataset (row i of {@code ihc_X.npz} from row i of {@code he_X.npz}), the baseline generation job,
 * and per-tile quality measures of generated tiles (computed by a job on each generated archive's
 * {@code ArchiveIngested}). Public API: {@link org.stainbench.checkpoints.Checkpoints} and its records.
 */
@ApplicationModule(allowedDependencies = {"shell", "artifacts", "catalog", "jobs", "tiles"})
package org.stainbench.checkpoints;

import org.springframework.modulith.ApplicationModule;
