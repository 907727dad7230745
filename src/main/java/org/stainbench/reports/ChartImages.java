package org.stainbench.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.stainbench.evaluation.ComparisonTable;
import org.stainbench.evaluation.Metric;

/**
 * A chart block drawn on the server as a PNG (Java2D), from the same {@link ComparisonTable} the page shows, so the
 * page, the PDF and a frozen report show one picture: the metric per checkpoint (mean as a bar, ± std as a whisker,
 * every seed as a dot; horizontal, so long names fit) and the metric by epoch for checkpoints of training runs.
 */
final class ChartImages {

    static final int WIDTH = 900;
    private static final int SCALE = 2;
    private static final Color BAR = new Color(0x4C, 0x78, 0xA8);
    private static final Color SEED = new Color(0xE4, 0x57, 0x56);
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    private static final Color[] RUNS = {
        new Color(0x4C, 0x78, 0xA8),
        new Color(0xF5, 0x85, 0x18),
        new Color(0x54, 0xA2, 0x4B),
        new Color(0xB2, 0x79, 0xA2),
        new Color(0x9D, 0x75, 0x5D),
        new Color(0xE4, 0x57, 0x56)
    };

    private ChartImages() {}

    static Metric metric(ComparisonTable t, String key) {
        for (Metric m : t.metrics()) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        return t.metrics().isEmpty() ? null : t.metrics().get(0);
    }

    /** Bars of the metric per compared thing. */
    static byte[] bars(ComparisonTable t, String metricKey) {
        Metric m = metric(t, metricKey);
        List<ComparisonTable.Line> lines = m == null
                ? List.of()
                : t.lines().stream().filter(l -> l.get(m) != null).toList();
        int rowH = 30;
        int top = 46;
        int height = top + Math.max(1, lines.size()) * rowH + 40;
        BufferedImage img = new BufferedImage(WIDTH * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        title(
                g,
                (m == null ? "no metric" : m.label()) + " per checkpoint (mean, ± std, seeds) · " + t.evaluationName());
        if (lines.isEmpty()) {
            g.drawString("No values.", 20, top + 20);
            return finish(g, img);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int labelW = Math.min(
                320,
                lines.stream().mapToInt(l -> fm.stringWidth(l.label())).max().orElse(100) + 16);
        double max = 0;
        for (ComparisonTable.Line l : lines) {
            ComparisonTable.Cell c = l.get(m);
            max = Math.max(max, c.mean() + (c.std() == null ? 0 : c.std()));
            for (double v : c.seeds()) {
                max = Math.max(max, v);
            }
        }
        max = max <= 0 ? 1 : niceCeil(max);
        int x0 = labelW + 10;
        int x1 = WIDTH - 140;
        double scale = (x1 - x0) / max;
        // grid and axis
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            int x = (int) Math.round(x0 + v * scale);
            g.setColor(GRID);
            g.draw(new Line2D.Double(x, top - 6, x, top + lines.size() * rowH));
            g.setColor(Color.DARK_GRAY);
            String s = tick(v, max);
            g.drawString(s, x - fm.stringWidth(s) / 2, top + lines.size() * rowH + 16);
        }
        for (int i = 0; i < lines.size(); i++) {
            ComparisonTable.Line l = lines.get(i);
            ComparisonTable.Cell c = l.get(m);
            int y = top + i * rowH;
            g.setColor(Color.BLACK);
            g.drawString(fit(l.label(), fm, labelW - 12), 8, y + rowH / 2 + 4);
            g.setColor(BAR);
            g.fill(new Rectangle2D.Double(x0, y + 6, Math.max(1, c.mean() * scale), rowH - 12));
            if (c.std() != null) {
                g.setColor(Color.BLACK);
                double a = x0 + Math.max(0, c.mean() - c.std()) * scale;
                double b = x0 + (c.mean() + c.std()) * scale;
                g.draw(new Line2D.Double(a, y + rowH / 2.0, b, y + rowH / 2.0));
                g.draw(new Line2D.Double(a, y + 9, a, y + rowH - 9));
                g.draw(new Line2D.Double(b, y + 9, b, y + rowH - 9));
            }
            g.setColor(SEED);
            for (double v : c.seeds()) {
                g.fill(new Ellipse2D.Double(x0 + v * scale - 3, y + rowH / 2.0 - 3, 6, 6));
            }
            g.setColor(Color.BLACK);
            g.drawString(c.text(), (int) Math.min(x1 + 4, x0 + c.mean() * scale + 6), y + 12);
        }
        return finish(g, img);
    }

    /** The metric by epoch, one line per training run (checkpoints that carry a run and an epoch). */
    static byte[] epochs(ComparisonTable t, String metricKey) {
        Metric m = metric(t, metricKey);
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        if (m != null) {
            for (ComparisonTable.Line l : t.lines()) {
                if (l.runUuid() != null && l.epoch() != null && l.get(m) != null) {
                    runs.computeIfAbsent(l.runUuid(), k -> new ArrayList<>())
                            .add(new double[] {l.epoch(), l.get(m).mean()});
                }
            }
        }
        int height = 340;
        BufferedImage img = new BufferedImage(WIDTH * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        title(g, (m == null ? "no metric" : m.label()) + " by epoch · " + t.evaluationName());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        if (runs.isEmpty()) {
            g.drawString("No checkpoint of this evaluation carries a training run and an epoch.", 20, 80);
            return finish(g, img);
        }
        double minE = Double.MAX_VALUE, maxE = -Double.MAX_VALUE, maxV = 0;
        for (List<double[]> pts : runs.values()) {
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            for (double[] p : pts) {
                minE = Math.min(minE, p[0]);
                maxE = Math.max(maxE, p[0]);
                maxV = Math.max(maxV, p[1]);
            }
        }
        maxV = maxV <= 0 ? 1 : niceCeil(maxV);
        if (maxE == minE) {
            maxE = minE + 1;
        }
        int x0 = 70, x1 = WIDTH - 220, y0 = 50, y1 = height - 40;
        for (int i = 0; i <= 4; i++) {
            double v = maxV * i / 4;
            int y = (int) Math.round(y1 - v / maxV * (y1 - y0));
            g.setColor(GRID);
            g.draw(new Line2D.Double(x0, y, x1, y));
            g.setColor(Color.DARK_GRAY);
            String s = tick(v, maxV);
            g.drawString(s, x0 - 8 - fm.stringWidth(s), y + 4);
        }
        g.drawString("epoch", (x0 + x1) / 2 - 15, height - 8);
        int r = 0;
        for (Map.Entry<String, List<double[]>> e : runs.entrySet()) {
            Color c = RUNS[r % RUNS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            Path2D.Double path = new Path2D.Double();
            for (int i = 0; i < e.getValue().size(); i++) {
                double[] p = e.getValue().get(i);
                double x = x0 + (p[0] - minE) / (maxE - minE) * (x1 - x0);
                double y = y1 - p[1] / maxV * (y1 - y0);
                if (i == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
                g.fill(new Ellipse2D.Double(x - 3, y - 3, 6, 6));
                g.setColor(Color.DARK_GRAY);
                String s = String.valueOf((long) p[0]);
                g.drawString(s, (int) x - fm.stringWidth(s) / 2, y1 + 16);
                g.setColor(c);
            }
            g.draw(path);
            g.drawString(fit("run " + e.getKey(), fm, 200), x1 + 12, y0 + 16 * r + 10);
            r++;
        }
        return finish(g, img);
    }

    private static Graphics2D start(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.scale(SCALE, SCALE);
        return g;
    }

    private static void title(Graphics2D g, String s) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(fit(s, g.getFontMetrics(), WIDTH - 20), 10, 22);
    }

    private static byte[] finish(Graphics2D g, BufferedImage img) {
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An axis label: as many decimals as the axis' range needs. */
    static String tick(double v, double max) {
        return String.format(Locale.ROOT, max >= 10 ? "%.0f" : max >= 1 ? "%.1f" : max >= 0.01 ? "%.3f" : "%.2e", v);
    }

    static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double f : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (f * p >= v) {
                return f * p;
            }
        }
        return 10 * p;
    }

    private static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (!t.isEmpty() && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    static String describe(String chart) {
        return switch (chart == null ? "bar" : chart) {
            case "epoch" -> "by epoch";
            case "both" -> "per checkpoint and by epoch";
            default -> "per checkpoint";
        };
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
