package org.dualmtgan.train;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The progress output of a training run: plain lines off a terminal, a redrawn bar on one. */
class TrainingProgressTest {
    @Test
    void progressLinesOffATerminal() {
        StringWriter sw = new StringWriter();
        TrainingProgress p = TrainingProgress.create(new PrintWriter(sw), false, 5);
        for (int s = 1; s <= 12; s++) p.step(s, 12, 2.0, Map.of("L_rec", 0.5f));
        p.finish();
        String[] lines = sw.toString().split("\n");
        assertEquals(3, lines.length, sw.toString()); // steps 5, 10 and the last
        assertTrue(lines[0].startsWith("step 5/12  2.00 steps/s  ETA 00:04  L_rec=0.5000"), lines[0]);
        assertFalse(sw.toString().contains("\r"));
        StringWriter bar = new StringWriter();
        TrainingProgress b = TrainingProgress.create(new PrintWriter(bar), true, 5);
        b.step(12, 12, 0.5, Map.of("L_rec", 0.5f, "L_C", 0.25f));
        b.finish();
        assertTrue(bar.toString().startsWith("\r[####################] 12/12  2.0 s/step  ETA 00:00  L_rec=0.5000\u001b[K"), bar.toString());
    }
}
