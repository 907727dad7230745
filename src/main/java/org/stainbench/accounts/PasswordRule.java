package org.stainbench.accounts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The password rule: at least {@value #MIN_LENGTH} characters, not containing the user name (ignoring case), and not on
 * the short list of common passwords in {@code accounts/common-passwords.txt} (whole password, ignoring case).
 */
final class PasswordRule {

    static final int MIN_LENGTH = 10;

    private static final Set<String> COMMON = load("/accounts/common-passwords.txt");

    private PasswordRule() {}

    /** Why {@code password} is refused for {@code username}, or empty when it is fine. */
    static Optional<String> problem(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return Optional.of("Password must have at least " + MIN_LENGTH + " characters.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null
                && !username.isBlank()
                && lower.contains(username.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of("Password must not contain the user name.");
        }
        if (COMMON.contains(lower)) {
            return Optional.of("This password is on a list of common passwords: choose another.");
        }
        return Optional.empty();
    }

    static void check(String username, String password) {
        problem(username, password).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    private static Set<String> load(String resource) {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordRule.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
