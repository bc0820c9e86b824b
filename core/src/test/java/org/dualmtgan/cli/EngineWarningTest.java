package org.dualmtgan.cli;

import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.media.MediaWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's native deprecation warning stays off standard error unless asked for. In a child
 * JVM: the warning is a process-wide warn-once written by native code, beyond this JVM's System.err.
 */
class EngineWarningTest {
    record Run(int code, String stdout, String stderr) {}

    static Run run(Path dir, String... jvmAndArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        for (String a : jvmAndArgs) cmd.add(a);
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command finishes");
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void aCommandsStandardErrorHoldsNoEngineWarningUnlessAskedFor(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("moving.gif");
        MediaWriter.write(TinyModel.squareVideo(2, TinyModel.FRAMES), video);
        String model = TinyModel.shared().toString();
        Run quiet = run(dir, Main.class.getName(), "reconstruct", "--model", model, "--video", video.toString(),
                "--out", dir.resolve("a.gif").toString());
        assertEquals(0, quiet.code(), quiet.stderr());
        assertFalse(quiet.stderr().contains("Warning"), "standard error: " + quiet.stderr());
        assertTrue(Files.size(dir.resolve("a.gif")) > 0);

        Run verbose = run(dir, "-Ddualmtgan.engineWarnings=true", Main.class.getName(), "reconstruct", "--model", model,
                "--video", video.toString(), "--out", dir.resolve("b.gif").toString());
        assertEquals(0, verbose.code(), verbose.stderr());
        assertTrue(verbose.stderr().contains("AutoNonVariableTypeMode"), "asked for, the warning shows: " + verbose.stderr());

        // A bad input's one-line error is the first line of standard error.
        Run bad = run(dir, Main.class.getName(), "reconstruct", "--model", model, "--video", dir.resolve("missing.mp4").toString(),
                "--out", dir.resolve("c.gif").toString());
        assertEquals(2, bad.code(), bad.stderr());
        assertTrue(bad.stderr().startsWith("error: ") && bad.stderr().contains("missing.mp4"), bad.stderr());
    }
}
