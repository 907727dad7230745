package org.stainbench.checkpoints;

import java.util.List;

/**
 * Lets later modules (evaluation, review) add their results to a checkpoint's lineage on its page:
 * a bean implementing this is asked for the entries of one checkpoint.
 */
public interface LineageContributor {

    /** One thing derived from the checkpoint, e.g. an evaluation, with its page. */
    record Entry(String kind, String label, String href) {
    }

    List<Entry> entries(long checkpointId);
}
