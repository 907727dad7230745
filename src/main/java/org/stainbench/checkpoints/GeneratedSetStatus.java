package org.stainbench.checkpoints;

/**
 * Where a {@link GeneratedSet} stands: being generated, ready to evaluate or review, or failed. Stored by name in
 * {@code generated_set.status}; other modules compare with these constants, never with the strings.
 */
public enum GeneratedSetStatus {
    GENERATING,
    READY,
    FAILED
}
