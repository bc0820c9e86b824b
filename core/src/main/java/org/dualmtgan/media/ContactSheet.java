package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.util.AtomicFiles;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A grid of videos for looking at results: one row per video, its frames left to right, its label
 * to the left of the row. Cells are the size of the largest frame times {@code scale} (nearest
 * neighbour, so 64 px frames stay sharp at 2x); smaller frames sit in the top left of their cell.
 * Dark grey background, {@value #GAP} px gaps, white labels.
 */
public final class ContactSheet {
    /** Pixels between cells and around the grid. */
    public static final int GAP = 2;
    /** {@link #write} enlarges frames until they are at least this tall (whole factors only). */
    public static final int READABLE_HEIGHT = 128;

    private static final Color BACKGROUND = new Color(0x20, 0x20, 0x20);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final int LABEL_PAD = 6;

    private ContactSheet() {}

    /** Renders the sheet; {@code labels} has one entry per row (null or empty: no label). */
    public static BufferedImage render(List<Video> rows, List<String> labels, int scale) {
        if (rows == null || rows.isEmpty()) throw new IllegalArgumentException("no rows");
        if (labels != null && labels.size() != rows.size()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + rows.size() + " rows");
        }
        if (scale < 1) throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        int cellH = 0;
        int cellW = 0;
        int columns = 0;
        for (Video v : rows) {
            cellH = Math.max(cellH, v.height() * scale);
            cellW = Math.max(cellW, v.width() * scale);
            columns = Math.max(columns, v.frames());
        }
        columns = Math.max(columns, 1);
        int labelWidth = labelWidth(labels);
        long width = labelWidth + GAP + (long) columns * (cellW + GAP);
        long height = GAP + (long) rows.size() * (cellH + GAP);
        if (width * height > ImageDecoding.MAX_PIXELS || width > ImageDecoding.MAX_SIDE || height > ImageDecoding.MAX_SIDE) {
            throw new IllegalArgumentException("contact sheet would be " + width + "x" + height + " pixels");
        }
        BufferedImage sheet = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) sheet.getRaster().getDataBuffer()).getData();
        java.util.Arrays.fill(px, BACKGROUND.getRGB() & 0xffffff);
        for (int r = 0; r < rows.size(); r++) {
            Video v = rows.get(r);
            int top = GAP + r * (cellH + GAP);
            for (int t = 0; t < v.frames(); t++) {
                int left = labelWidth + GAP + t * (cellW + GAP);
                blit(v, t, scale, px, (int) width, left, top);
            }
        }
        if (labelWidth > 0) {
            Graphics2D g = sheet.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(FONT);
                g.setColor(Color.WHITE);
                FontMetrics fm = g.getFontMetrics();
                for (int r = 0; r < rows.size(); r++) {
                    String label = labels.get(r);
                    if (label == null || label.isEmpty()) continue;
                    int top = GAP + r * (cellH + GAP);
                    int baseline = top + (cellH - fm.getHeight()) / 2 + fm.getAscent();
                    g.drawString(label, LABEL_PAD, baseline);
                }
            } finally {
                g.dispose();
            }
        }
        return sheet;
    }

    /**
     * Renders with frames enlarged by the smallest whole factor that makes them at least
     * {@value #READABLE_HEIGHT} px tall, and writes a PNG (atomically).
     */
    public static void write(List<Video> rows, List<String> labels, Path png) {
        int maxH = 1;
        if (rows != null) for (Video v : rows) maxH = Math.max(maxH, v.height());
        int scale = Math.max(1, (READABLE_HEIGHT + maxH - 1) / maxH);
        BufferedImage sheet = render(rows, labels, scale);
        try {
            AtomicFiles.write(png, tmp -> MediaWriter.png(sheet, tmp));
        } catch (IOException e) {
            throw new InvalidInputException(png, "cannot write contact sheet: " + ImageDecoding.describe(e), e);
        }
    }

    /** Width of the label column: the widest label plus padding, 0 when there is no label. */
    static int labelWidth(List<String> labels) {
        if (labels == null) return 0;
        int widest = 0;
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            FontMetrics fm = g.getFontMetrics(FONT);
            for (String s : labels) if (s != null && !s.isEmpty()) widest = Math.max(widest, fm.stringWidth(s));
        } finally {
            g.dispose();
        }
        return widest == 0 ? 0 : widest + 2 * LABEL_PAD;
    }

    private static void blit(Video v, int t, int scale, int[] px, int stride, int left, int top) {
        int h = v.height();
        int w = v.width();
        int plane = h * w;
        float[] d = v.data();
        int base = t * 3 * plane;
        for (int y = 0; y < h * scale; y++) {
            int sy = y / scale;
            int row = (top + y) * stride + left;
            for (int x = 0; x < w * scale; x++) {
                int i = base + sy * w + x / scale;
                px[row + x] = (Frames.to8(d[i]) << 16) | (Frames.to8(d[i + plane]) << 8) | Frames.to8(d[i + 2 * plane]);
            }
        }
    }
}
