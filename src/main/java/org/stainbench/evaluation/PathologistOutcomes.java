package org.stainbench.evaluation;

import java.util.Collection;
import java.util.List;

/**
 * What the pathologists said about checkpoints, contributed by the review module (the evaluation module never reads
 * review's tables): for every review session that showed at least one of the given checkpoints, its outcomes, each
 * as the first-showing answers that make it up. Used by {@link Agreements} ("which metric agrees with the
 * pathologists?").
 */
public interface PathologistOutcomes {

    /** The outcomes of the sessions that showed any of {@code checkpointIds}, by session id. */
    List<Outcome> outcomes(Collection<Long> checkpointIds);

    /** How a checkpoint's outcome is read off its answers. */
    enum Kind {
        /** Share of answers in which the rater was fooled (took the generated tile for the real one); higher: better. */
        FOOLED(true),
        /** Mean score (e.g. a Likert criterion 1-5); higher: better. */
        MEAN_SCORE(true),
        /** |mean score of the checkpoint's tiles - mean score of the real control tiles| (marker score); lower: better. */
        DISTANCE_TO_REAL(false);

        private final boolean higherIsBetter;

        Kind(boolean higherIsBetter) {
            this.higherIsBetter = higherIsBetter;
        }

        public boolean higherIsBetter() {
            return higherIsBetter;
        }
    }

    /** One first-showing answer: on a generated tile of {@code checkpointId}, or (null) on a real control tile. */
    record Answer(Long checkpointId, String rater, double value) {}

    /** One outcome of a session, e.g. "share of raters fooled" or a Likert criterion's mean score. */
    record Outcome(
            long sessionId, String session, String href, String mode, String name, Kind kind, List<Answer> answers) {

        public Outcome {
            answers = List.copyOf(answers);
        }
    }
}
