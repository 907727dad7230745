package org.stainbench.reports;

import java.util.Locale;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown to HTML (CommonMark): raw HTML in the source is escaped, not passed through. Images written in Markdown
 * never reach the page or the PDF printer (no tracking beacons, no server-side requests, no local files): each renders
 * as its alt text, or "[external image removed]" without one; the only images a report shows are the ones the
 * application draws itself (charts, gallery tiles). Links keep only {@code http}, {@code https} and {@code mailto}
 * targets; any other link ({@code javascript:}, {@code data:}, {@code file:}, relative paths) keeps its text only.
 */
final class Markdown {

    static final String IMAGE_REMOVED = "[external image removed]";

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER =
            HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    private Markdown() {}

    static String html(String markdown) {
        Node doc = PARSER.parse(markdown == null ? "" : markdown);
        doc.accept(new Defuse());
        return RENDERER.render(doc);
    }

    /** Whether a link target is one a report may keep: an absolute http(s) URL or a mailto address. */
    static boolean allowedLink(String destination) {
        if (destination == null) {
            return false;
        }
        String d = destination.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < d.length(); i++) {
            if (Character.isISOControl(d.charAt(i)) || Character.isWhitespace(d.charAt(i))) {
                return false;
            }
        }
        return (d.startsWith("http://") || d.startsWith("https://")) && d.length() > 8
                || d.startsWith("mailto:") && d.length() > 7;
    }

    /** Replaces images by their alt text and unwraps links with a disallowed target. */
    private static final class Defuse extends AbstractVisitor {

        @Override
        public void visit(Image image) {
            String alt = altText(image).strip();
            image.insertBefore(new Text(alt.isEmpty() ? IMAGE_REMOVED : alt));
            image.unlink();
        }

        @Override
        public void visit(Link link) {
            visitChildren(link);
            if (!allowedLink(link.getDestination())) {
                Node child = link.getFirstChild();
                while (child != null) {
                    Node next = child.getNext();
                    link.insertBefore(child);
                    child = next;
                }
                link.unlink();
            } else {
                link.setDestination(link.getDestination().strip());
            }
        }

        private static String altText(Node node) {
            StringBuilder b = new StringBuilder();
            node.accept(new AbstractVisitor() {
                @Override
                public void visit(Text text) {
                    b.append(text.getLiteral());
                }

                @Override
                public void visit(org.commonmark.node.Code code) {
                    b.append(code.getLiteral());
                }
            });
            return b.toString();
        }
    }
}
