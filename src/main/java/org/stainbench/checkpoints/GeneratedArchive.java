package org.stainbench.checkpoints;

/** One generated archive: row i comes from row i of the source archive; both have {@code rows} rows. */
public record GeneratedArchive(long archiveId, long generatedSetId, long sourceArchiveId, String fileName, int rows) {}
