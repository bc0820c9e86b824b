package org.dualmtgan.cli;

import org.dualmtgan.SharedData;
import org.dualmtgan.synth.SynthClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthCommandTest {
    @TempDir
    Path tmp;

    @Test
    void rendersADatasetEndToEnd() throws Exception {
        Path out = tmp.resolve("faces");
        int code = Main.run("synth", "--domain", "faces", "--videos", "3", "--frames", "6", "--size", "48",
                "--seed", "11", "--split", "test", "--out", out.toString());
        assertEquals(Main.EXIT_OK, code);
        assertTrue(Files.isRegularFile(out.resolve("dataset.json")));
        SynthClip c = SynthClip.read(out.resolve("faces_00002"));
        assertEquals("faces", c.domain());
        assertEquals(6, c.frames());
        assertEquals(48, c.size());
        assertEquals("test", c.split().id());
        assertTrue(Files.isRegularFile(out.resolve("faces_00002").resolve("05.png")));
    }

    @Test
    void mnistTakesTheDataFolder() {
        Path out = tmp.resolve("mnist");
        assertEquals(Main.EXIT_OK, Main.run("synth", "--domain", "mnist", "--videos", "2", "--frames", "4",
                "--out", out.toString(), "--data", SharedData.root().toString()));
        assertTrue(Files.isDirectory(out.resolve("mnist_00001")));
        Path out2 = tmp.resolve("mnist2");
        assertEquals(Main.EXIT_BAD_INPUT, Main.run("synth", "--domain", "mnist", "--videos", "2", "--frames", "4",
                "--out", out2.toString(), "--data", tmp.resolve("nowhere").toString()));
        assertFalse(Files.exists(out2));
    }

    @Test
    void badInputExitsWithTwoAndAMessage() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            Path out = tmp.resolve("x");
            assertEquals(Main.EXIT_BAD_INPUT, Main.run("synth", "--domain", "cats", "--out", out.toString()));
            assertEquals(Main.EXIT_BAD_INPUT, Main.run("synth", "--domain", "faces", "--frames", "1", "--out", out.toString()));
            assertEquals(Main.EXIT_BAD_INPUT, Main.run("synth", "--domain", "faces", "--size", "8", "--out", out.toString()));
            assertEquals(Main.EXIT_BAD_INPUT, Main.run("synth", "--domain", "faces", "--videos", "0", "--out", out.toString()));
            assertEquals(Main.EXIT_BAD_INPUT, Main.run("synth", "--domain", "faces", "--split", "val", "--out", out.toString()));
            assertEquals(Main.EXIT_BAD_INPUT, Main.run("synth", "--domain", "faces"));
            assertFalse(Files.exists(out));
        } finally {
            System.setErr(old);
        }
        String text = err.toString();
        assertTrue(text.contains("unknown domain 'cats'"), text);
        assertTrue(text.contains("--frames must be"), text);
    }
}
