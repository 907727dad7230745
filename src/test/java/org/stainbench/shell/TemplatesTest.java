package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the Content-Security-Policy and the one palette need from every template and front-end file (issue 20): no
 * inline script (a {@code <script>} without {@code src}, or with a body) and no {@code on*=} event handler attribute
 * (nor htmx's {@code hx-on}) in any template; no hex colour in {@code frontend/} or the templates outside the palette block of
 * {@code frontend/css/stainbench.css} (pages and charts take their colours from its custom properties; the favicon, an
 * image of its own, is not a page).
 */
class TemplatesTest {

    static final Path TEMPLATES = Path.of("src", "main", "resources", "templates");
    static final Path FRONTEND = Path.of("frontend");
    static final Path PALETTE_FILE = FRONTEND.resolve("css").resolve("stainbench.css");

    static final Pattern SCRIPT =
            Pattern.compile("<script\\b([^>]*)>(.*?)</script\\s*>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    static final Pattern HANDLER = Pattern.compile(
            "<[a-zA-Z][^>]*?\\s(?:(?:th:|data-th-)?on[a-z]+|(?:data-)?hx-on[\\w:-]*)\\s*=", Pattern.CASE_INSENSITIVE);
    static final Pattern HEX =
            Pattern.compile("(?<![\\w&#])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})(?![\\w-])");

    static List<Path> files(Path root, String... endings) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(endings).anyMatch(e -> p.toString().endsWith(e)))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void noTemplateHasAnInlineScriptOrAnEventHandlerAttribute() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> templates = files(TEMPLATES, ".html");
        assertThat(templates).hasSizeGreaterThan(40);
        for (Path p : templates) {
            String t = Files.readString(p);
            Matcher m = SCRIPT.matcher(t);
            while (m.find()) {
                boolean src = m.group(1).matches("(?s).*\\s(?:th:src|data-th-src|src)\\s*=.*");
                if (!src || !m.group(2).isBlank()) {
                    found.add(p + ": inline script "
                            + m.group().substring(0, Math.min(80, m.group().length())));
                }
            }
            Matcher h = HANDLER.matcher(t);
            while (h.find()) {
                found.add(p + ": event handler attribute in " + h.group());
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void theScannerFindsWhatItLooksFor() {
        assertThat(SCRIPT.matcher("<p><script>alert(1)</script></p>").find()).isTrue();
        assertThat(HANDLER.matcher("<button type=\"button\" onclick=\"go()\">").find())
                .isTrue();
        assertThat(HANDLER.matcher("<a th:onclick=\"|go()|\">").find()).isTrue();
        assertThat(HANDLER.matcher("<form hx-on::after-request=\"this.reset()\">")
                        .find())
                .isTrue();
        assertThat(HANDLER.matcher("<a href=\"/x\" class=\"online\">").find()).isFalse();
        assertThat(HEX.matcher("color: #5b3a8c;").find()).isTrue();
        assertThat(HEX.matcher("borderColor: '#d62728'").find()).isTrue();
        assertThat(HEX.matcher("<a href=\"#add-chart\">").find()).isFalse();
        assertThat(HEX.matcher("&#39; #{message.key}").find()).isFalse();
    }

    @Test
    void hexColoursLiveOnlyInThePalette() throws IOException {
        String css = Files.readString(PALETTE_FILE);
        int from = css.indexOf(":root");
        int to = css.indexOf("/* end of palette */");
        assertThat(from).isNotNegative();
        assertThat(to).isGreaterThan(from);
        assertThat(HEX.matcher(css.substring(to)).find())
                .as("a hex colour after the palette block")
                .isFalse();
        assertThat(HEX.matcher(css.substring(0, from)).find())
                .as("a hex colour before the palette block")
                .isFalse();
        List<String> found = new ArrayList<>();
        List<Path> all = new ArrayList<>(files(FRONTEND, ".js", ".css", ".html"));
        all.addAll(files(TEMPLATES, ".html"));
        for (Path p : all) {
            if (p.equals(PALETTE_FILE)) {
                continue;
            }
            Matcher m = HEX.matcher(Files.readString(p));
            while (m.find()) {
                found.add(p + ": " + m.group());
            }
        }
        assertThat(found).isEmpty();
    }
}
