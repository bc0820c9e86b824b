package org.dualmtgan.train;

import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class TrainConfigTest {
    @Test
    void everyShippedConfigParsesAndValidates() throws IOException {
        int n = 0;
        try (Stream<Path> s = Files.list(Path.of("configs"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                TrainConfig cfg = TrainConfig.read(p);
                assertEquals(p.getFileName().toString().replace(".json", ""), cfg.name, "name matches file " + p);
                assertNotNull(cfg.data.path, p.toString());
                n++;
            }
        }
        assertTrue(n >= 7, "configs shipped: " + n);
        TrainConfig tiny = TrainConfig.read(Path.of("configs/tiny.json"));
        assertEquals(32, tiny.model.size);
        assertEquals(8, tiny.model.frames);
        assertEquals(2, tiny.train.batch);
        TrainConfig w = TrainConfig.read(Path.of("configs/weizmann-64.json"));
        assertEquals("identity", w.data.split.rule);
        assertEquals(8, w.data.split.divisor);
    }

    @Test
    void typosAndBadValuesNameTheFile(@TempDir Path dir) throws IOException {
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"name\": \"x\", \"train\": {\"stepz\": 3}}");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainConfig.read(typo));
        assertTrue(e.getMessage().startsWith(typo + ": ") && e.getMessage().contains("stepz"), e.getMessage());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\": \"x\", \"train\": {\"steps\": 0}}");
        e = assertThrows(InvalidInputException.class, () -> TrainConfig.read(bad));
        assertTrue(e.getMessage().contains("train.steps"), e.getMessage());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"name\": ");
        assertThrows(InvalidInputException.class, () -> TrainConfig.read(broken));
        assertThrows(InvalidInputException.class, () -> TrainConfig.read(dir.resolve("missing.json")));
    }

    @Test
    void copyAndWriteRoundTrip(@TempDir Path dir) throws IOException {
        TrainConfig cfg = TrainConfig.read(Path.of("configs/tiny.json"));
        TrainConfig c = cfg.copy();
        c.train.steps = 99;
        assertEquals(20, cfg.train.steps);
        c.write(dir.resolve("config.json"));
        assertEquals(99, TrainConfig.read(dir.resolve("config.json")).train.steps);
    }

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
