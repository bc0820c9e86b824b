package org.dualmtgan.util;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Paths in documents for others: relative inside the working folder, the last name outside it. */
class ShownPathsTest {
    @Test
    void absolutePathsInTextAreShownRelativeOrByName() {
        String here = Path.of("").toAbsolutePath().normalize().toString();
        String text = "| data | `/home/someone/datasets/faces-train` (frames) |\n- model: " + here + "/models/x/model.ckpt\n"
                + "\"path\" : \"/srv/data/weizmann\", see http://127.0.0.1:8080/api/v1/models and docs/eval.md, 1/2 of it";
        String shown = ShownPaths.redact(text);
        assertFalse(shown.contains("/home/someone") || shown.contains(here) || shown.contains("/srv/"), shown);
        assertTrue(shown.contains("`faces-train`") && shown.contains("- model: models/x/model.ckpt")
                && shown.contains("\"path\" : \"weizmann\""), shown);
        // URLs, relative paths and fractions are left alone.
        assertTrue(shown.contains("http://127.0.0.1:8080/api/v1/models") && shown.contains("docs/eval.md") && shown.contains("1/2"), shown);
        assertEquals("data/faces", ShownPaths.shown(here + "/data/faces"));
        assertEquals("../shared/data", ShownPaths.shown(Path.of(here).getParent() + "/shared/data"));
        assertEquals("configs/x.json", ShownPaths.shown("configs/x.json"));
    }
}
