package org.stainbench.jobs;

import java.util.Map;
import java.util.Set;

/**
 * Command templates for other modules: {@code {name}} is a named parameter, {@code ${NAME}} stays a shell
 * expansion; rendered values are shell-quoted unless they are plain words.
 */
public final class CommandText {

    private CommandText() {}

    /** The parameter names a template uses, in order of first appearance. */
    public static Set<String> parameters(String template) {
        return TemplateText.parameters(template);
    }

    /** Renders a template; a parameter without a value is an {@link IllegalArgumentException}. */
    public static String render(String template, Map<String, String> values) {
        return TemplateText.render(template, values, true);
    }
}
