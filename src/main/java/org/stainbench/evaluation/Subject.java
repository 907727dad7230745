package org.stainbench.evaluation;

/** One compared thing of an evaluation (a generated set, or a model folder of an imported sheet). */
public record Subject(
        long id,
        long evaluationId,
        int position,
        String label,
        Long checkpointId,
        Long generatedSetId,
        String runUuid,
        Integer epoch) {}
