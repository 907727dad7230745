package org.stainbench.catalog;

/** An archive is listed (its tiles browsable) only when {@link #READY}. */
public enum ArchiveStatus {
    QUEUED,
    INGESTING,
    READY,
    FAILED;

    public boolean busy() {
        return this == QUEUED || this == INGESTING;
    }
}
