package org.stainbench.shell;

import java.util.List;

/**
 * What depends on a thing that someone wants to delete. Each module that holds references to another
 * module's things (an evaluation to a dataset, a review session to a checkpoint, …) declares one bean that
 * answers for its own tables; the module that owns the thing asks all of them before a soft delete and
 * refuses it when any live (not deleted) dependant is named. The shell never reads a module's tables.
 */
public interface Dependants {

    /** The kinds of thing that can be deleted and asked about. */
    String DATASET = "dataset";

    String CHECKPOINT = "checkpoint";

    /**
     * @param kind {@link #DATASET} or {@link #CHECKPOINT} (other kinds: answer an empty list)
     * @param id   the thing's id
     * @return the live things of this module that use it, each with its page; empty when none
     */
    List<Dependant> dependantsOf(String kind, long id);

    /**
     * @param kind  what depends, singular and lower-case: "evaluation", "review session", …
     * @param title its name as shown
     * @param href  its page, or null
     */
    record Dependant(String kind, String title, String href) {}

    /** A deletion refused because live things depend on the subject; nothing was changed. */
    final class Blocked extends RuntimeException {

        private final transient List<Dependant> dependants;

        public Blocked(String subject, List<Dependant> dependants) {
            super(subject + " is used by " + dependants.size() + (dependants.size() == 1 ? " thing" : " things")
                    + " and was not deleted: "
                    + String.join(
                            ", ",
                            dependants.stream()
                                    .map(d -> d.kind() + " '" + d.title() + "'")
                                    .toList()) + ".");
            this.dependants = List.copyOf(dependants);
        }

        public List<Dependant> dependants() {
            return dependants;
        }
    }
}
