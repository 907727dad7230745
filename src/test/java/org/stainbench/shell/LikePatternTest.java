package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LikePattern#compile}: LIKE/ILIKE without regular expressions. A table of cases ({@code %}, {@code _},
 * escapes, case), agreement with a reference (a regular expression built from the same pattern) on many random
 * patterns, and the bound on its work for patterns that make a backtracking matcher explode.
 */
class LikePatternTest {

    @ParameterizedTest(name = "{0} LIKE {1} (ilike={2}) -> {3}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "mist_er|mist%|false|true",
                "lora20|mist%|false|false",
                "abc|abc|false|true",
                "abc|ab|false|false",
                "abc|a_c|false|true",
                "abbc|a_c|false|false",
                "abc|%|false|true",
                "\"\"|%|false|true",
                "\"\"|_|false|false",
                "\"\"|\"\"|false|true",
                "abc|%%%c|false|true",
                "abc|%b%|false|true",
                "abc|%d%|false|false",
                "a%c|a\\%c|false|true",
                "abc|a\\%c|false|false",
                "a_c|a\\_c|false|true",
                "abc|a\\_c|false|false",
                "a\\c|a\\\\c|false|true",
                "a.c|a.c|false|true",
                "abc|a.c|false|false",
                "a*c|a*c|false|true",
                "MiSt_ER|mist%|false|false",
                "MiSt_ER|mist%|true|true",
                "MIST|m_s_|true|true",
                "Straße|STRASSE|true|false",
                "ÄÖÜ|äöü|true|true",
                "ÄÖÜ|äöü|false|false",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab|%a%a%a%a%a%a%a%a%a%b|false|true",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|%a%a%a%a%a%a%a%a%a%b|false|false",
                "0123456789abcdef0123456789abcdef|%%%%%%%%%%%%%%%%%%%%!|false|false",
                "0123456789abcdef0123456789abcde!|%%%%%%%%%%%%%%%%%%%%!|false|true",
                "x😀y|x_y|false|true"
            })
    void matchesLikeSql(String text, String pattern, boolean ignoreCase, boolean expected) {
        assertThat(LikePattern.compile(pattern, '\\', ignoreCase).matches(text)).isEqualTo(expected);
        if (text.length() < 20) { // the reference backtracks: only on short texts
            assertThat(reference(pattern, '\\', ignoreCase).matcher(text).matches())
                    .as("reference")
                    .isEqualTo(expected);
        }
    }

    @Test
    void agreesWithAReferenceOnRandomPatterns() {
        Random random = new Random(15);
        String patternChars = "ab%_\\A";
        String textChars = "abAB%_\\";
        for (int i = 0; i < 20_000; i++) {
            String pattern = randomString(random, patternChars, 8);
            if (pattern.endsWith("\\") && !pattern.endsWith("\\\\")) {
                pattern = pattern + "a";
            }
            String text = randomString(random, textChars, 10);
            boolean ignoreCase = random.nextBoolean();
            LikePattern like;
            try {
                like = LikePattern.compile(pattern, '\\', ignoreCase);
            } catch (IllegalArgumentException e) {
                continue; // an odd number of trailing escapes
            }
            assertThat(like.matches(text))
                    .as("'%s' LIKE '%s' (ilike=%s)", text, pattern, ignoreCase)
                    .isEqualTo(
                            reference(pattern, '\\', ignoreCase).matcher(text).matches());
        }
    }

    @Test
    void aPatternEndingInTheEscapeIsRefused() {
        assertThatThrownBy(() -> LikePattern.compile("abc\\", '\\', false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("escape");
    }

    @Test
    void patternsThatExplodeABacktrackingMatcherStayCheap() {
        String text = "a".repeat(8000);
        String pattern = "%a".repeat(200) + "!";
        long steps = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> LikePattern.compile(pattern, '\\', true)
                .steps(text));
        assertThat(steps)
                .as("no match, and at most (text + 1) x (pattern + 1) steps")
                .isNegative();
        assertThat(-steps).isLessThanOrEqualTo((text.length() + 1L) * (pattern.length() + 1L));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(
                        LikePattern.compile("%".repeat(20) + "!", '\\', false).matches("0123456789abcdef".repeat(2)))
                .isFalse());
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** The obvious translation to a regular expression (fine for short inputs, exponential for hostile ones). */
    private static Pattern reference(String like, char escape, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == escape && i + 1 < like.length()) {
                re.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                re.append("(?s:.*)");
            } else if (c == '_') {
                re.append("(?s:.)");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }
}
