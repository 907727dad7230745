package org.stainbench.evaluation;

/** The job types this module runs (stored in the job's {@code type}), for modules that watch {@code JobFinished}. */
public final class EvaluationJobTypes {

    /** An evaluation's metrics over seeds ({@code EvaluationJob}). */
    public static final String EVALUATION = "evaluation";

    private EvaluationJobTypes() {}
}
