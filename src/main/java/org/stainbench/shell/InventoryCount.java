package org.stainbench.shell;

/**
 * A count a module contributes to the home page ("what the platform holds").
 * Modules declare one bean per thing they own; the shell never reads their tables.
 *
 * @param order position on the home page, lower first
 */
public interface InventoryCount {

    String label();

    long count();

    /** Page that lists the counted things, or null. */
    String href();

    int order();
}
