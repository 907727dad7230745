package org.stainbench.checkpoints;

import org.stainbench.tiles.QualityMeasures;

/** The quality measures of tile {@code index} of a generated archive. */
public record StoredQuality(long archiveId, int index, QualityMeasures measures) {}
