package org.stainbench.reports;

import java.util.List;

/**
 * A block ready for a template: its data, its Markdown as HTML (text blocks), the chart image sources and the gallery
 * cells' image sources (URLs on the page, data URIs in the print document).
 */
record BlockView(Block block, int number, BlockData data, String html, List<String> charts, List<List<String>> cells) {

    public boolean problem() {
        return data.problem() != null;
    }

    public String id() {
        return "block-" + block.id();
    }
}
