package org.stainbench.galleries;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Component;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.tiles.QualityMeasures;
import org.stainbench.tiles.RgbTile;

/** A gallery as a PNG figure with column titles (Java2D), or as a ZIP of its tiles (PNG) with a CSV. */
@Component
class GalleryExport {

    static final int MAX_CELL = 1024;
    private static final int PAD = 8;
    private static final int TITLE = 34;
    private static final int LABEL = 110;

    private final CatalogTiles tiles;
    private final long maxPixels;

    GalleryExport(CatalogTiles tiles, GalleriesProperties properties) {
        this.tiles = tiles;
        this.maxPixels = properties.figureMaxPixels();
    }

    /** The cell size a figure request gets: {@code cell} clamped to 32 … {@value #MAX_CELL} pixels. */
    static int cellSize(int cell) {
        return Math.max(32, Math.min(MAX_CELL, cell));
    }

    /**
     * Refuses a figure of more than {@code stainbench.galleries.figure-max-pixels} tile pixels (rows × columns ×
     * cell²) before anything is drawn.
     */
    void checkFigureSize(int rows, int cols, int cell) {
        int c = cellSize(cell);
        long pixels = (long) Math.max(rows, 0) * Math.max(cols, 0) * c * c;
        if (pixels > maxPixels) {
            throw new IllegalArgumentException(String.format(
                    java.util.Locale.ROOT,
                    "The figure would hold %d rows × %d columns of %d px cells = %.1f Mpx, more than the limit of %.1f Mpx "
                            + "(stainbench.galleries.figure-max-pixels): choose fewer rows or checkpoints, or a smaller cell.",
                    rows,
                    cols,
                    c,
                    pixels / 1e6,
                    maxPixels / 1e6));
        }
    }

    static BufferedImage image(RgbTile t) {
        BufferedImage img = new BufferedImage(t.width(), t.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = t.rgb();
        int[] px = new int[t.width() * t.height()];
        for (int i = 0, o = 0; i < px.length; i++, o += 3) {
            px[i] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
        }
        img.setRGB(0, 0, t.width(), t.height(), px, 0, t.width());
        return img;
    }

    /** Rows × columns of tiles scaled to {@code cell} pixels, column titles above, row labels left. */
    byte[] figure(Galleries.Gallery g, int cell) {
        int c = cellSize(cell);
        int cols = g.columns().size();
        checkFigureSize(g.rows().size(), cols, c);
        int w = LABEL + cols * (c + PAD) + PAD;
        int h = TITLE + g.rows().size() * (c + PAD) + PAD;
        BufferedImage fig = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = fig.createGraphics();
        try {
            gr.setColor(Color.WHITE);
            gr.fillRect(0, 0, w, h);
            gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            gr.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            gr.setColor(Color.BLACK);
            gr.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            FontMetrics fm = gr.getFontMetrics();
            for (int j = 0; j < cols; j++) {
                String t = fit(g.columns().get(j).title(), fm, c);
                int x = LABEL + PAD + j * (c + PAD) + (c - fm.stringWidth(t)) / 2;
                gr.drawString(t, x, TITLE - 10);
            }
            gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics small = gr.getFontMetrics();
            for (int i = 0; i < g.rows().size(); i++) {
                Galleries.Row r = g.rows().get(i);
                int y = TITLE + i * (c + PAD);
                gr.drawString(fit(r.label(), small, LABEL - PAD), PAD, y + c / 2 - 8);
                gr.drawString(fit(r.sourceArchiveName(), small, LABEL - PAD), PAD, y + c / 2 + 8);
                gr.drawString("tile " + r.index(), PAD, y + c / 2 + 24);
                for (int j = 0; j < r.cells().size(); j++) {
                    Galleries.Cell cell2 = r.cells().get(j);
                    BufferedImage img = image(tiles.read(cell2.archiveId(), cell2.index()));
                    gr.drawImage(img, LABEL + PAD + j * (c + PAD), y, c, c, null);
                }
            }
        } finally {
            gr.dispose();
        }
        return png(fig);
    }

    private static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String CSV_HEADER = "row,label,column,checkpoint_id,source_archive,archive_id,tile_index,file,"
            + "saturation_std,autocorrelation16,laplacian_variance709,dab_positive_fraction,mean_dab,mean_hematoxylin,badness\n";

    /** Full-resolution PNG tiles named {@code r<row>_c<column>_<name>.png} and {@code gallery.csv}. */
    void zip(Galleries.Gallery g, OutputStream os) throws IOException {
        StringBuilder csv =
                new StringBuilder("# ").append(g.permalink()).append('\n').append(CSV_HEADER);
        try (ZipOutputStream zip = new ZipOutputStream(os)) {
            for (int i = 0; i < g.rows().size(); i++) {
                Galleries.Row r = g.rows().get(i);
                for (int j = 0; j < r.cells().size(); j++) {
                    Galleries.Cell cell = r.cells().get(j);
                    Galleries.Column col = g.columns().get(j);
                    String file = String.format(Locale.ROOT, "r%02d_c%02d_%s.png", i + 1, j, safe(col.title()));
                    zip.putNextEntry(new ZipEntry(file));
                    ImageIO.write(image(tiles.read(cell.archiveId(), cell.index())), "png", zip);
                    zip.closeEntry();
                    QualityMeasures q = cell.quality();
                    csv.append(i + 1)
                            .append(',')
                            .append(csv(r.label()))
                            .append(',')
                            .append(csv(col.title()))
                            .append(',')
                            .append(col.checkpointId() == null ? "" : col.checkpointId())
                            .append(',')
                            .append(csv(r.sourceArchiveName()))
                            .append(',')
                            .append(cell.archiveId())
                            .append(',')
                            .append(cell.index())
                            .append(',')
                            .append(file)
                            .append(',');
                    if (q != null) {
                        csv.append(String.format(
                                Locale.ROOT,
                                "%.9g,%.9g,%.9g,%.9g,%.9g,%.9g",
                                q.saturationStd(),
                                q.autocorrelation16(),
                                q.laplacianVariance709(),
                                q.dabPositiveFraction(),
                                q.meanDab(),
                                q.meanHematoxylin()));
                    } else {
                        csv.append(",,,,,");
                    }
                    csv.append(',')
                            .append(cell.badness() == null ? "" : String.format(Locale.ROOT, "%.9g", cell.badness()))
                            .append('\n');
                }
            }
            zip.putNextEntry(new ZipEntry("gallery.csv"));
            zip.write(csv.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }

    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return t.isEmpty() ? "column" : t.length() > 60 ? t.substring(0, 60) : t;
    }

    private static String csv(String s) {
        return s.matches("[^,\"\\n\\r]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
