package org.stainbench.shell;

/**
 * Something a person (or a machine token's owner) did, published as a Spring application event by the
 * module where it happened: {@code publisher.publishEvent(Activity.of("ann", "registered", ActivitySubject.DATASET, "7",
 * "Registered dataset 'CK7 cohort'", "/datasets/7"))}. The activity trail records it once the surrounding
 * transaction commits (nothing is recorded for work that rolled back).
 *
 * @param action a past-tense verb: registered, launched, cancelled, edited, deleted, restored, exported, …
 * @param href   the page of the subject, or null
 */
public record Activity(String actor, String action, String subjectType, String subjectId, String summary, String href) {

    public Activity {
        if (actor == null
                || actor.isBlank()
                || action == null
                || action.isBlank()
                || subjectType == null
                || summary == null) {
            throw new IllegalArgumentException("an activity needs an actor, an action, a subject type and a summary");
        }
    }

    public static Activity of(
            String actor, String action, ActivitySubject subject, Object subjectId, String summary, String href) {
        return of(actor, action, subject.label(), subjectId, summary, href);
    }

    public static Activity of(
            String actor, String action, String subjectType, Object subjectId, String summary, String href) {
        return new Activity(actor, action, subjectType, subjectId == null ? null : subjectId.toString(), summary, href);
    }
}
