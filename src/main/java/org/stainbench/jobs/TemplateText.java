package org.stainbench.jobs;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named parameters in command templates: {@code {name}} is a parameter; {@code ${NAME}} stays a shell
 * expansion (a brace preceded by {@code $} is left alone). Values put into a command are shell-quoted
 * unless they are plain words.
 */
final class TemplateText {

    static final Pattern PARAMETER = Pattern.compile("(?<!\\$)\\{([A-Za-z_][A-Za-z0-9_]*)}");
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@+%-]+");

    private TemplateText() {
    }

    static Set<String> parameters(String text) {
        Set<String> names = new LinkedHashSet<>();
        if (text != null) {
            Matcher m = PARAMETER.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static String render(String text, Map<String, String> values, boolean shellQuote) {
        Matcher m = PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("Missing value for parameter '" + m.group(1) + "'.");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(shellQuote ? quote(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String quote(String value) {
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
