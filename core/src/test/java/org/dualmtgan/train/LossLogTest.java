package org.dualmtgan.train;

import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LossLogTest {
    static Map<String, Float> losses(float rec, float d) {
        Map<String, Float> m = new LinkedHashMap<>();
        m.put("L_rec", rec);
        m.put("L_D_I", d);
        return m;
    }

    @Test
    void rowsAreIntervalMeansAndResumeDropsLaterRows(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("losses.csv");
        LossLog log = LossLog.create(csv);
        log.accumulate(losses(1f, 2f));
        log.accumulate(losses(3f, 4f));
        log.endRow(2, 0.5);
        log.accumulate(losses(5f, 0f));
        log.endRow(3, 0.75);
        log.flush();
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,wall_seconds,L_rec,L_D_I", lines.get(0));
        assertEquals("2,0.500,2.00000,3.00000", lines.get(1));
        assertEquals(3, lines.size());

        LossLog resumed = LossLog.resume(csv, 2);
        assertEquals(1, resumed.rows());
        assertEquals(2.0, resumed.value(0, "L_rec"));
        resumed.accumulate(losses(7f, 1f));
        resumed.endRow(4, 1.0);
        resumed.flush();
        lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("4,1.000,7.00000"), lines.get(2));
    }

    @Test
    void recordedValuesAreWrittenAsMeasuredNotAveragedWithTheWindow(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("motion.csv");
        LossLog log = LossLog.create(csv);
        log.accumulate(losses(1f, 2f));
        log.accumulate(losses(3f, 4f));
        log.record(java.util.Map.of("heldout_l1", 0.25f));
        log.endRow(2, 0.5);
        log.accumulate(losses(5f, 6f));
        log.endRow(3, 0.75);
        log.flush();
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,wall_seconds,L_rec,L_D_I,heldout_l1", lines.get(0));
        // The window's mean over its two steps, and the held-out score itself (not 0.25 / 3).
        assertEquals("2,0.500,2.00000,3.00000,0.250000", lines.get(1));
        assertEquals("3,0.750,5.00000,6.00000,NaN", lines.get(2));
    }

    @Test
    void plotIsAPngLogarithmicUnlessATermGoesNegative(@TempDir Path dir) throws IOException {
        LossLog log = LossLog.create(dir.resolve("losses.csv"));
        for (int s = 1; s <= 50; s++) {
            // A warm-up term at 0 first does not stop the log axis.
            log.accumulate(losses(1f / s, s < 10 ? 0f : 0.7f));
            log.endRow(s, s);
        }
        Path png = dir.resolve("losses.png");
        log.plot(png, "test");
        assertTrue(log.lastPlotLogarithmic());
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(900, img.getWidth());
        log.accumulate(losses(-1f, 0.5f));
        log.endRow(51, 51);
        log.plot(png, "test");
        assertFalse(log.lastPlotLogarithmic());
        // An empty log still plots (a placeholder series) instead of failing.
        LossLog empty = LossLog.create(dir.resolve("e.csv"));
        empty.plot(dir.resolve("e.png"), "empty");
        assertNotNull(ImageIO.read(dir.resolve("e.png").toFile()));
    }

    @Test
    void malformedLogIsBadInput(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("losses.csv");
        Files.writeString(csv, "step,wall_seconds,L_rec\n1,0.1\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LossLog.resume(csv, 10));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
