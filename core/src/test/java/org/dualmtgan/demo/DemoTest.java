package org.dualmtgan.demo;

import org.dualmtgan.SharedData;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.animate.ModelBundle;
import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.cli.Main;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The bundling of a checkpoint (weights, card, resume), the model list and the demo, on a tiny trained model. */
class DemoTest {
    private static final String PROPERTY = "dualmtgan.models";
    @TempDir
    Path tmp;
    private String old;
    private Path models;

    @BeforeEach
    void useTemporaryModels() {
        old = System.getProperty(PROPERTY);
        models = tmp.resolve("models");
        System.setProperty(PROPERTY, models.toString());
    }

    @AfterEach
    void restore() {
        if (old == null) System.clearProperty(PROPERTY);
        else System.setProperty(PROPERTY, old);
    }

    @Test
    void bundleWritesWeightsCardAndResumeCheckpoint() throws Exception {
        Path table = tmp.resolve("eval.md");
        Files.writeString(table, "| protocol | SSIM |\n| --- | --- |\n| reconstruction | 0.5 |\n");
        var r = ModelBundle.bundle(TinyModel.shared(), "faces-64", models, List.of(table), true, "A tiny test model.");
        assertTrue(r.float16MaxDiff() >= 0 && r.float16MaxDiff() < 0.05, "float16 difference " + r.float16MaxDiff());
        assertEquals(r.float16MaxDiff() <= ModelBundle.FLOAT16_TOLERANCE ? "float16" : "float32", r.storage());
        assertTrue(Files.isRegularFile(models.resolve("faces-64/model.ckpt")));
        // The resume file holds every parameter exactly, and no optimizer moments.
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
             var full = org.dualmtgan.run.Checkpoint.load(TinyModel.shared(), m);
             var resume = org.dualmtgan.run.Checkpoint.load(models.resolve("faces-64/resume.ckpt"), m)) {
            assertEquals(full.parameters().keySet(), resume.parameters().keySet());
            for (String k : full.parameters().keySet()) {
                assertArrayEquals(full.parameters().get(k).toFloatArray(), resume.parameters().get(k).toFloatArray(), k);
            }
            assertTrue(resume.section(org.dualmtgan.run.Checkpoint.GENERATOR_OPTIMIZER).isEmpty());
            assertEquals(full.info().step, resume.info().step);
        }
        String card = Files.readString(r.card());
        assertTrue(card.contains("A tiny test model.") && card.contains("data fingerprint") && card.contains("| reconstruction | 0.5 |")
                && card.contains("float16 check") && card.contains("\"model\""), card);
        try (var files = Files.list(models.resolve("faces-64"))) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
        assertEquals(List.of("faces-64"), Animator.bundled());

        // Bundling again without --keep-resume replaces the weights and drops the resume file.
        ModelBundle.bundle(TinyModel.shared(), "faces-64", models, List.of(), false, null);
        assertFalse(Files.exists(models.resolve("faces-64/resume.ckpt")));

        var out = new java.io.ByteArrayOutputStream();
        int code = runCli(out, "model", "list");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("faces-64") && out.toString().contains("MODEL_CARD.md"), out.toString());
        out.reset();
        assertEquals(0, runCli(out, "model", "list", "--card", "faces-64"));
        assertTrue(out.toString().startsWith("# Model card: faces-64"), out.toString());
        out.reset();
        assertEquals(2, runCli(out, "model", "list", "--card", "nope"));
    }

    @Test
    void demoWritesEveryOutputAndAnIndex() throws Exception {
        ModelBundle.bundle(TinyModel.shared(), "weizmann-64", models, List.of(), false, null);
        Demo.Options o = new Demo.Options();
        o.out = tmp.resolve("out/demo");
        o.samples = 3;
        o.frames = 12; // longer than the tiny model's T = 8
        Demo.Result r = Demo.run(o);
        assertEquals(List.of("faces-64 (not installed)", "portraits-64 (not installed)"), r.skipped());
        Path dir = o.out.resolve("weizmann-64");
        for (String kind : List.of("transfer", "samples", "interpolation", "reconstruction", "driving")) {
            assertTrue(Files.size(dir.resolve(kind + ".gif")) > 0, kind);
            assertTrue(Files.size(dir.resolve(kind + ".mp4")) > 0, kind);
        }
        Video transfer = MediaReader.readVideo(dir.resolve("transfer.gif"));
        assertEquals(16, transfer.frames(), "as long as the driving clip");
        Video samples = MediaReader.readVideo(dir.resolve("samples.gif"));
        assertEquals(12, samples.frames());
        assertEquals(3 * TinyModel.SIZE + 2 * 2, samples.width(), "three samples side by side");
        assertTrue(Files.isRegularFile(dir.resolve("sheet.png")));
        String html = Files.readString(r.index());
        for (String kind : List.of("transfer.gif", "samples.gif", "interpolation.gif", "sheet.png", "transfer.mp4")) {
            assertTrue(html.contains("weizmann-64/" + kind), kind);
        }
        // Same seed, same samples; run again into the same folder (replaced).
        byte[] before = Files.readAllBytes(dir.resolve("samples.gif"));
        Demo.run(o);
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("samples.gif")));
        try (var s = Files.list(o.out.getParent())) {
            assertEquals(1, s.count(), "no temporary folders left behind");
        }
    }

    @Test
    void demoRefusesWhatItCannotDo() throws Exception {
        Demo.Options o = new Demo.Options();
        o.out = tmp.resolve("demo");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Demo.run(o));
        assertTrue(e.getMessage().contains("no bundled models"), e.getMessage());
        o.models = List.of("bair-64");
        e = assertThrows(InvalidInputException.class, () -> Demo.run(o));
        assertTrue(e.getMessage().contains("no inputs for model 'bair-64'"), e.getMessage());
        // A folder with other content is never replaced.
        ModelBundle.bundle(TinyModel.shared(), "faces-64", models, List.of(), false, null);
        Path foreign = tmp.resolve("mine");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        o.models = List.of();
        o.out = foreign;
        e = assertThrows(InvalidInputException.class, () -> Demo.run(o));
        assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
        assertEquals("keep me", Files.readString(foreign.resolve("notes.txt")));
    }

    @Test
    void trainingResumesFromABundledResumeCheckpoint() throws Exception {
        String data = SharedData.path("bair").toString();
        var out = new java.io.ByteArrayOutputStream();
        Path first = tmp.resolve("first");
        assertEquals(0, runCli(out, "train", "--config", "configs/tiny.json", "--data", data, "--steps", "2", "--out", first.toString()), out.toString());
        out.reset();
        assertEquals(0, runCli(out, "model", "bundle", first.toString(), "tiny-64", "--models", models.toString(), "--keep-resume"), out.toString());
        Path resume = models.resolve("tiny-64/resume.ckpt");
        assertTrue(Files.isRegularFile(resume));
        Path run = tmp.resolve("run");
        out.reset();
        assertEquals(0, runCli(out, "train", "--resume-from", resume.toString(), "--data", data, "--out", run.toString(), "--steps", "3"), out.toString());
        try (var s = Files.list(run.resolve("checkpoints"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("step-00000003.ckpt"), names.toString());
        }
        assertEquals(3, org.dualmtgan.run.Checkpoint.readInfo(run.resolve("checkpoints/step-00000003.ckpt")).step);
        out.reset();
        assertEquals(2, runCli(out, "train", "--resume-from", tmp.resolve("nothing.ckpt").toString(), "--out", run.toString()));
        assertTrue(out.toString().contains("nothing.ckpt") && out.toString().contains("not found"), out.toString());
        out.reset();
        assertEquals(2, runCli(out, "train", "--resume-from", models.resolve("tiny-64/model.ckpt").toString(), "--out", tmp.resolve("r2").toString()));
        assertTrue(out.toString().contains("inference export"), out.toString());
    }

    private static int runCli(java.io.ByteArrayOutputStream out, String... args) {
        var cl = Main.commandLine();
        var w = new java.io.PrintWriter(out, true);
        cl.setOut(w);
        cl.setErr(w);
        return cl.execute(args);
    }
}
