package org.dualmtgan.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContactSheetTest {
    @Test
    void gridDimensionsAndNearestNeighbourScaling() {
        Video a = TestMedia.pattern(5, 16, 16, 25);
        Video b = TestMedia.pattern(3, 16, 16, 25);
        BufferedImage sheet = ContactSheet.render(List.of(a, b), List.of("real", "generated"), 2);
        int cell = 32;
        int label = ContactSheet.labelWidth(List.of("real", "generated"));
        assertTrue(label > 0);
        assertEquals(label + ContactSheet.GAP + 5 * (cell + ContactSheet.GAP), sheet.getWidth());
        assertEquals(ContactSheet.GAP + 2 * (cell + ContactSheet.GAP), sheet.getHeight());
        // Row 1, frame 2, source pixel (x 3, y 5) fills a 2x2 block.
        int left = label + ContactSheet.GAP + 2 * (cell + ContactSheet.GAP);
        int top = ContactSheet.GAP + (cell + ContactSheet.GAP);
        int expected = b.toImage(2).getRGB(3, 5) & 0xffffff;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                assertEquals(expected, sheet.getRGB(left + 6 + dx, top + 10 + dy) & 0xffffff);
            }
        }
        // Something was drawn in the label column (white text on dark grey).
        int bright = 0;
        for (int y = 0; y < sheet.getHeight(); y++) {
            for (int x = 0; x < label; x++) if ((sheet.getRGB(x, y) & 0xff) > 0x80) bright++;
        }
        assertTrue(bright > 10, "label pixels " + bright);
        // No labels: no label column.
        assertEquals(ContactSheet.GAP + 5 * (cell + ContactSheet.GAP), ContactSheet.render(List.of(a, b), null, 2).getWidth());
        assertThrows(IllegalArgumentException.class, () -> ContactSheet.render(List.of(a), List.of("x", "y"), 1));
    }

    @Test
    void writeUpscalesSmallFramesToReadableSize(@TempDir Path tmp) throws Exception {
        Video bair = MediaReader.readVideo(TestMedia.data("bair/bair_00033")).slice(0, 4);
        Video kth = MediaReader.readVideo(TestMedia.data("kth/kth_00092")).slice(0, 6);
        Path png = tmp.resolve("sheet.png");
        ContactSheet.write(List.of(bair, kth), List.of("bair", "kth"), png);
        BufferedImage sheet = ImageIO.read(png.toFile());
        assertEquals(ContactSheet.GAP + 2 * (128 + ContactSheet.GAP), sheet.getHeight());  // 64 px at 2x
        assertEquals(ContactSheet.labelWidth(List.of("bair", "kth")) + ContactSheet.GAP + 6 * (128 + ContactSheet.GAP),
                sheet.getWidth());
        assertNotEquals(sheet.getRGB(0, 0), sheet.getRGB(ContactSheet.labelWidth(List.of("bair", "kth")) + 40, 40));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(png), s.toList());
        }
    }
}
