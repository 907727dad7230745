package org.stainbench.checkpoints;

import java.util.List;

/**
 * Lets later modules (evaluation, review) add their results to a checkpoint's lineage on its page:
 * a bean implementing this is asked for the entries of one checkpoint. Each module answers for its own tables
 * (evaluation: the evaluations that compared it; review: the sessions that showed it); the page groups the
 * entries by {@link Entry#kind()}, with the kinds of {@link #KINDS} always listed (as "none yet" when empty).
 */
public interface LineageContributor {

    /** One thing derived from the checkpoint, e.g. an evaluation, with its page. */
    record Entry(String kind, String label, String href) {}

    /** The kinds the lineage always lists, singular, in order; the page adds any other kind after them. */
    List<String> KINDS = List.of("evaluation", "review session");

    List<Entry> entries(long checkpointId);
}
