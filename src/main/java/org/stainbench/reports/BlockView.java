package org.stainbench.reports;

import java.util.List;
import org.springframework.web.util.HtmlUtils;

/**
 * A block ready for a template: its data, its Markdown as HTML (text blocks), its charts (drawn by Chart.js) and the
 * gallery cells' image sources (URLs on the page, data URIs in the print document); {@code tileAspect} is the gallery tiles'
 * height / width (from the first tile's image; 1 when unknown), so a tile is drawn at its true aspect ratio;
 * {@code print}: for the print document.
 */
record BlockView(
        Block block,
        int number,
        BlockData data,
        String html,
        List<ReportCharts.ChartView> charts,
        List<List<String>> cells,
        double tileAspect,
        boolean print) {

    BlockView(
            Block block,
            int number,
            BlockData data,
            String html,
            List<ReportCharts.ChartView> charts,
            List<List<String>> cells) {
        this(block, number, data, html, charts, cells, 1.0, false);
    }

    public boolean problem() {
        return data.problem() != null;
    }

    public String id() {
        return "block-" + block.id();
    }

    /**
     * The text HTML-escaped; in the print document with a line-break opportunity after each separator ({@code _ - . /}),
     * so a long name wraps at its parts in a narrow column instead of letter by letter.
     */
    public String breakable(String s) {
        if (s == null) {
            return "";
        }
        if (!print) {
            return HtmlUtils.htmlEscape(s);
        }
        return HtmlUtils.htmlEscape(s).replaceAll("([_./-])(?=[^\\s])", "$1<wbr>");
    }

    /** A gallery column's title as shown: a random gallery ranks nothing (older snapshots said "(ranked)"). */
    public String column(String title) {
        if (title != null
                && data.gallery() != null
                && "random".equals(data.gallery().mode())
                && title.endsWith(" (ranked)")) {
            return title.substring(0, title.length() - " (ranked)".length());
        }
        return title;
    }

    /** The height of a tile drawn {@code width} wide at its true aspect ratio. */
    public long tileHeight(int width) {
        return Math.max(1, Math.round(width * tileAspect));
    }
}
