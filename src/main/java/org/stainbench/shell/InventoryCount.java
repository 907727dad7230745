package org.stainbench.shell;

import java.util.function.LongSupplier;

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

    /** A count read from {@code count} on each view of the home page: what every module's {@code *Counts} declares. */
    static InventoryCount of(String label, LongSupplier count, String href, int order) {
        return new Of(label, count, href, order);
    }

    /** The counts made by {@link #of}. */
    record Of(String label, LongSupplier supplier, String href, int order) implements InventoryCount {

        @Override
        public long count() {
            return supplier.getAsLong();
        }
    }
}
