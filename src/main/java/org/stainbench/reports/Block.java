package org.stainbench.reports;

/** One block of a report at its position; {@code snapshot} (JSON of {@link BlockData}) is null until frozen. */
record Block(long id, long reportId, int position, BlockKind kind, BlockSettings settings, String snapshot) {}
