package org.stainbench.shell;

import java.util.List;

/**
 * Something a module contributes to the one search box: it looks through what it owns (by name, tag,
 * patient id…) and returns at most {@code limit} hits. The shell never reads a module's tables; each module
 * declares one bean per kind of thing it owns.
 */
public interface SearchSource {

    /** The kind of thing found, plural and lower-case, as a heading: "datasets", "runs", … */
    String kind();

    /**
     * @param query what the person typed, trimmed, never blank; match case-insensitively
     * @param limit the most hits wanted
     */
    List<Hit> search(String query, int limit);

    /**
     * @param title  the name shown as the link
     * @param detail one line of context (what matched, owner, date…), or null
     * @param href   the page of the thing found
     */
    record Hit(String title, String detail, String href) {}
}
