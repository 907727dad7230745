package org.stainbench.jobs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named parameters in command templates: {@code {name}} is a parameter; {@code ${NAME}} stays a shell
 * expansion (a brace preceded by {@code $} is left alone). Values put into a command are quoted for the place they
 * stand in (bash): in a plain word a value that is not a plain word is single-quoted; inside double quotes
 * {@code \ " $ `} are escaped with a backslash; inside single quotes a {@code '} closes, escapes and reopens. Wherever
 * the quoting cannot be known for sure (inside backticks, {@code ${…}}, {@code $((…))}, a comment, a here-document,
 * after a {@code case} inside {@code $(…)}) a parameter is refused: {@link #checkPlacement} says so when the template
 * is saved, and rendering refuses too. So a value is always one literal piece of one argument: {@code $(id)},
 * backticks or {@code "; id; "} never run.
 */
final class TemplateText {

    static final Pattern PARAMETER = Pattern.compile("(?<!\\$)\\{([A-Za-z_][A-Za-z0-9_]*)}");
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@+%-]+");

    private TemplateText() {}

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

    /** Where a parameter stands in the shell text. */
    enum Context {
        WORD,
        DOUBLE_QUOTED,
        SINGLE_QUOTED,
        REFUSED
    }

    /** One parameter occurrence: its match and the context, with the reason when refused. */
    record Use(int start, int end, String name, Context context, String reason) {}

    private enum Frame {
        TOP,
        SUB,
        DQ,
        SQ,
        BACKTICK,
        BRACE,
        ARITH,
        COMMENT
    }

    private static final class State {
        final Frame frame;
        int parens;

        State(Frame frame) {
            this.frame = frame;
        }
    }

    /** The parameters of a shell command with the quoting context each one stands in. */
    static List<Use> uses(String text) {
        List<Use> out = new ArrayList<>();
        Deque<State> stack = new ArrayDeque<>();
        stack.push(new State(Frame.TOP));
        String unknown = null;
        Matcher m = PARAMETER.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        int i = 0;
        int n = text.length();
        while (i < n) {
            State s = stack.peek();
            Frame f = s.frame;
            if (text.charAt(i) == '{' && m.region(i, n).lookingAt()) {
                out.add(use(m, stack, unknown));
                i = m.end();
                continue;
            }
            char c = text.charAt(i);
            boolean normal = f == Frame.TOP || f == Frame.SUB;
            if (f == Frame.SQ) {
                if (c == '\'') {
                    stack.pop();
                }
                i++;
                continue;
            }
            if (f == Frame.COMMENT) {
                if (c == '\n') {
                    stack.pop();
                }
                i++;
                continue;
            }
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (f == Frame.BACKTICK) {
                if (c == '`') {
                    stack.pop();
                }
                i++;
                continue;
            }
            if (f == Frame.BRACE) {
                if (c == '}') {
                    stack.pop();
                } else if (c == '\'' || c == '"' || c == '`' || c == '$') {
                    unknown = unknown != null ? unknown : "after a ${…} expansion that holds quotes or expansions";
                }
                i++;
                continue;
            }
            if (f == Frame.ARITH) {
                if (c == '(') {
                    s.parens++;
                } else if (c == ')') {
                    if (s.parens == 0 && i + 1 < n && text.charAt(i + 1) == ')') {
                        stack.pop();
                        i += 2;
                        continue;
                    }
                    s.parens--;
                }
                i++;
                continue;
            }
            // TOP, SUB or DQ
            if (c == '$' && i + 1 < n && text.charAt(i + 1) == '(') {
                if (i + 2 < n && text.charAt(i + 2) == '(') {
                    stack.push(new State(Frame.ARITH));
                    i += 3;
                } else {
                    stack.push(new State(Frame.SUB));
                    i += 2;
                }
                continue;
            }
            if (c == '$' && i + 1 < n && text.charAt(i + 1) == '{') {
                stack.push(new State(Frame.BRACE));
                i += 2;
                continue;
            }
            if (c == '`') {
                stack.push(new State(Frame.BACKTICK));
                i++;
                continue;
            }
            if (f == Frame.DQ) {
                if (c == '"') {
                    stack.pop();
                }
                i++;
                continue;
            }
            // TOP or SUB: an unquoted shell context
            if (c == '\'') {
                stack.push(new State(Frame.SQ));
            } else if (c == '"') {
                stack.push(new State(Frame.DQ));
            } else if (c == '#' && (i == 0 || " \t\n;&|(".indexOf(text.charAt(i - 1)) >= 0)) {
                stack.push(new State(Frame.COMMENT));
            } else if (c == '<' && text.startsWith("<<", i) && !text.startsWith("<<<", i)) {
                unknown = unknown != null ? unknown : "after a here-document (<<)";
                i += 2;
                continue;
            } else if (c == '<' && text.startsWith("<<<", i)) {
                i += 3;
                continue;
            } else if (normal && f == Frame.SUB && c == '(') {
                s.parens++;
            } else if (f == Frame.SUB && c == ')') {
                if (s.parens == 0) {
                    stack.pop();
                } else {
                    s.parens--;
                }
            } else if (f == Frame.SUB
                    && text.startsWith("case", i)
                    && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                    && (i + 4 >= n || !Character.isLetterOrDigit(text.charAt(i + 4)))) {
                unknown = unknown != null ? unknown : "after a 'case' inside $(…)";
            }
            i++;
        }
        return out;
    }

    private static Use use(Matcher m, Deque<State> stack, String unknown) {
        String name = m.group(1);
        if (unknown != null) {
            return new Use(m.start(), m.end(), name, Context.REFUSED, unknown);
        }
        for (State s : stack) {
            String why =
                    switch (s.frame) {
                        case BACKTICK -> "inside backticks (`…`)";
                        case BRACE -> "inside a ${…} expansion";
                        case ARITH -> "inside an arithmetic expansion $((…))";
                        case COMMENT -> "inside a comment";
                        default -> null;
                    };
            if (why != null) {
                return new Use(m.start(), m.end(), name, Context.REFUSED, why);
            }
        }
        Context c =
                switch (stack.peek().frame) {
                    case DQ -> Context.DOUBLE_QUOTED;
                    case SQ -> Context.SINGLE_QUOTED;
                    default -> Context.WORD;
                };
        return new Use(m.start(), m.end(), name, c, null);
    }

    /**
     * Refuses a command that places a parameter where its quoting cannot be made safe, with a message that names the
     * parameter and the place.
     */
    static void checkPlacement(String command) {
        if (command == null) {
            return;
        }
        for (Use u : uses(command)) {
            if (u.context() == Context.REFUSED) {
                throw new IllegalArgumentException("Parameter {" + u.name() + "} stands " + u.reason()
                        + " in the command, where its value could run as shell code: put it in a plain word or inside "
                        + "quotes (\"…{" + u.name() + "}…\" or '…{" + u.name()
                        + "}…'), or pass it through an environment variable.");
            }
        }
    }

    static String render(String text, Map<String, String> values, boolean shellQuote) {
        if (!shellQuote) {
            Matcher m = PARAMETER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(value(values, m.group(1))));
            }
            m.appendTail(out);
            return out.toString();
        }
        checkPlacement(text);
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Use u : uses(text)) {
            String v = value(values, u.name());
            out.append(text, at, u.start())
                    .append(
                            switch (u.context()) {
                                case DOUBLE_QUOTED -> inDoubleQuotes(v);
                                case SINGLE_QUOTED -> v.replace("'", "'\\''");
                                default -> quote(v);
                            });
            at = u.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    private static String value(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing value for parameter '" + name + "'.");
        }
        return value;
    }

    /** A value for a plain (unquoted) word. */
    static String quote(String value) {
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /** A value for the inside of double quotes: {@code \ " $ `} escaped. */
    static String inDoubleQuotes(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"' || c == '$' || c == '`') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
