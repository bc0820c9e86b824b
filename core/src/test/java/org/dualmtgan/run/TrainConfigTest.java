package org.dualmtgan.run;

import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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

}
