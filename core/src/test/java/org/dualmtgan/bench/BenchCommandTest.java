package org.dualmtgan.bench;

import org.dualmtgan.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dualmtgan.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        System.setProperty("ai.djl.offline", "true");
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void tinyConfigWritesMarkdownAndJsonWithEveryFigure(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("report");
        ai.djl.engine.Engine.getEngine("PyTorch"); // the thread query needs the native library
        int threadsBefore = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        // One engine thread: on a busy machine two spinning OpenMP threads make each tiny op many times slower.
        Run r = run("bench", "--config", "configs/tiny.json", "--batch", "2", "--steps", "2", "--warmup", "0", "--runs", "1",
                "--peak-size", "128", "--threads", "1", "--what", "peak,train,profile,transfer,generate,memory", "--trace", dir.resolve("trace.json").toString(),
                "--out", base.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(threadsBefore, ai.djl.pytorch.jni.JniUtils.getNumThreads(), "engine threads restored");
        assertTrue(r.out().contains("## Training step"), r.out());
        assertTrue(Files.size(dir.resolve("trace.json")) > 0, "profiler trace written");
        String md = Files.readString(dir.resolve("report.md"));
        assertEquals(r.out(), md);
        for (String section : new String[] {"## Peak", "## Training step", "## Profile", "## Inference: transfer",
                "## Inference: generate", "## Native memory"}) {
            assertTrue(md.contains(section), section);
        }
        JsonNode j = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertTrue(j.path("command").asText().startsWith("dualmtgan bench"));
        assertEquals("tiny", j.path("config").path("name").asText());
        assertEquals(2, j.path("config").path("batch").asInt());
        assertTrue(j.path("config").path("parameters").path("G").asLong() > 0);
        assertTrue(j.path("peak").path("gflops").asDouble() > 0);
        JsonNode t = j.path("train");
        assertEquals(2, t.path("step_seconds").size());
        assertTrue(t.path("median_step_seconds").asDouble() > 0);
        // The JSON rounds the median to milliseconds: allow exactly that rounding, relative to the step.
        double median = t.path("median_step_seconds").asDouble();
        assertEquals(2 / median, t.path("clips_per_second").asDouble(), (2 / median) * (0.0005 / median) + 0.01);
        assertEquals(3 * t.path("forward_flops_per_step").asLong(), t.path("flops_per_step").asLong());
        assertTrue(t.path("peak_rss_mib").asDouble() > 0);
        assertTrue(t.path("fraction_of_peak").asDouble() > 0);
        assertEquals(6, j.path("profile").path("networks").size());
        for (String k : new String[] {"transfer", "generate"}) {
            assertEquals(1, j.path(k).path("runs_ms").size(), k);
            assertTrue(j.path(k).path("flops").asLong() > 0, k);
        }
        assertEquals(2, j.path("memory").path("steps").asInt());
        assertTrue(j.path("memory").path("rss_end_mib").asDouble() > 0);
        assertTrue(j.path("targets").isArray() && j.path("targets").size() >= 4);
        assertEquals(1, j.path("machine").path("engine_threads").asInt());
    }

    @Test
    void dataPartReadsTheConfigsDataset(@TempDir Path dir) throws Exception {
        Path data = SharedData.path("bair");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(data), "no BAIR data at " + data);
        Path cfg = dir.resolve("tiny-data.json");
        Files.writeString(cfg, Files.readString(Path.of("configs/tiny.json"))
                .replace("\"../shared/data/bair\"", new ObjectMapper().writeValueAsString(data.toAbsolutePath().toString())));
        Run r = run("bench", "--config", cfg.toString(), "--batch", "2", "--steps", "2", "--what", "data", "--out", dir.resolve("d").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode d = new ObjectMapper().readTree(dir.resolve("d.json").toFile()).path("data");
        assertTrue(d.path("cold_clips_per_second").asDouble() > 0);
        assertTrue(d.path("cached_clips_per_second").asDouble() > 0);
    }

    @Test
    void badInputExitsWithTwo() {
        Run unknown = run("bench", "--config", "tiny", "--what", "speed");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("error: --what: unknown part 'speed'"), unknown.err());
        Run missing = run("bench", "--config", "no-such-config");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("error: no-such-config: config file not found"), missing.err());
        assertEquals(2, run("bench", "--config", "tiny", "--steps", "0").code());
    }
}
