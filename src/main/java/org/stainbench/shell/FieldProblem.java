package org.stainbench.shell;

import java.util.List;

/**
 * One problem with a submitted form, tied to the field it is about ({@code field} is the input's name; null for a
 * problem of the whole form). Pages list them at the top (focused, each linking to its field) and again next to the
 * field (issue 18).
 */
public record FieldProblem(String field, String message) {

    /** The messages of the problems about {@code field}. */
    public static List<String> of(List<FieldProblem> problems, String field) {
        return problems == null
                ? List.of()
                : problems.stream()
                        .filter(p -> field.equals(p.field()))
                        .map(FieldProblem::message)
                        .toList();
    }

    /** The messages, in order. */
    public static List<String> messages(List<FieldProblem> problems) {
        return problems.stream().map(FieldProblem::message).toList();
    }
}
