package org.stainbench.reports;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** Markdown to HTML (CommonMark): raw HTML in the source is escaped, not passed through; unsafe link targets are dropped. */
final class Markdown {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    private Markdown() {
    }

    static String html(String markdown) {
        return RENDERER.render(PARSER.parse(markdown == null ? "" : markdown));
    }
}
