package org.dualmtgan.serve;

import org.dualmtgan.cli.CliRun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.dualmtgan.cli.CliRun.run;

/** The serve command's refusals (the server itself is tested through ApiServer). */
class ServeCommandTest {
    @Test
    void withoutModelsItSaysSoAndExits2(@TempDir Path empty) {
        String before = System.getProperty("dualmtgan.models");
        System.setProperty("dualmtgan.models", empty.toString());
        try {
            Result r = run("serve", "--port", "0");
            assertEquals(2, r.code(), r.text());
            assertTrue(r.text().contains("no models to serve") && r.text().contains("--model"), r.text());
        } finally {
            if (before == null) System.clearProperty("dualmtgan.models");
            else System.setProperty("dualmtgan.models", before);
        }
    }

    @Test
    void badModelsAndSettingsExit2(@TempDir Path dir) {
        Path missing = dir.resolve("missing.ckpt");
        Result r = run("serve", "--port", "0", "--model", missing.toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().startsWith("error: ") && r.text().contains("missing.ckpt"), r.text());
        Result port = run("serve", "--port", "70000", "--model", missing.toString());
        assertEquals(2, port.code());
        assertTrue(port.text().contains("--port"), port.text());
        Result upload = run("serve", "--max-upload-mb", "0", "--model", missing.toString());
        assertEquals(2, upload.code());
        assertTrue(upload.text().contains("--max-upload-mb"), upload.text());
    }
}
