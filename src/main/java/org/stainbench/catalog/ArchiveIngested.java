package org.stainbench.catalog;

/** Published when an archive's tiles are indexed and listed. */
public record ArchiveIngested(long datasetId, long archiveId, int tiles) {}
