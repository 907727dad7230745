package org.stainbench.shell;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The jar sub-commands' options, parsed once: {@code --key value} or {@code --key=value}, each key one of the
 * command's known options, a flag (no value) only where the command declares it. Bad input is an
 * {@link IllegalArgumentException} whose message names the option.
 */
public final class CliOptions {

    private final Map<String, String> values;

    private CliOptions(Map<String, String> values) {
        this.values = values;
    }

    /** Options with a value, from {@code args}; keys as written (with the leading {@code --}). */
    public static CliOptions parse(String[] args, Collection<String> known) {
        return parse(args, 0, known, Set.of());
    }

    /** Options from {@code args[from..]}; {@code flags} take no value and read as "true". */
    public static CliOptions parse(String[] args, int from, Collection<String> known, Collection<String> flags) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (flags.contains(a)) {
                opts.put(a, "true");
                continue;
            }
            String key = a;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                key = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                value = args[++i];
            }
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option " + key);
            }
            opts.put(key, value);
        }
        return new CliOptions(opts);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    /** The value, or "missing KEY". */
    public String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }

    public int intOption(String key, int dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " needs a whole number, got '" + v + "'");
        }
    }

    public long longOption(String key, long dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " needs a whole number, got '" + v + "'");
        }
    }

    public double doubleOption(String key, double dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " needs a number, got '" + v + "'");
        }
    }
}
