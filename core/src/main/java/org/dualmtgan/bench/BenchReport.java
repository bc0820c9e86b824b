package org.dualmtgan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.dualmtgan.model.CpuIsaGuard;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.util.AtomicFiles;
import org.dualmtgan.util.ProjectInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's results, built section by section: a JSON tree (for scripts, stable keys) and
 * the same figures as Markdown tables (for people and docs/benchmarks.md).
 */
public final class BenchReport {
    /** Memory target of the issue: training at batch 16, 64x64x16 within 4 GiB. */
    static final double MEMORY_TARGET_MIB = 4096;
    /** FLOP-rate target: at least half of the measured peak. */
    static final double PEAK_FRACTION_TARGET = 0.5;

    private final Map<String, Object> json = new LinkedHashMap<>();
    private final StringBuilder md = new StringBuilder();
    private final List<Map<String, Object>> targets = new ArrayList<>();

    /** The JSON tree (section name to values). */
    public Map<String, Object> json() {
        return json;
    }

    /** The Markdown text. */
    public String markdown() {
        return md.toString();
    }

    /** The JSON text, indented. */
    public String jsonText() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code base}.md and {@code base}.json, each atomically (a given .md or .json suffix is dropped). */
    public void write(Path base) throws IOException {
        String name = base.getFileName().toString().replaceFirst("\\.(md|json)$", "");
        Path dir = base.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        AtomicFiles.writeString(base.resolveSibling(name + ".md"), markdown());
        AtomicFiles.writeString(base.resolveSibling(name + ".json"), jsonText());
    }

    // ---- Sections. ----

    void header(Benchmark.Options o, ModelConfig cfg, int engineThreads) {
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpu", cpuModel());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory_gib", round(totalMemoryGib(), 1));
        machine.put("java", System.getProperty("java.version"));
        machine.put("engine_threads", engineThreads);
        machine.put("mkldnn", !CpuIsaGuard.mkldnnDisabled());
        machine.put("onednn_max_cpu_isa", CpuIsaGuard.current());
        machine.put("load_average_start", loadAverage());
        json.put("command", o.command);
        json.put("date", date);
        json.put("version", ProjectInfo.version());
        json.put("machine", machine);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", o.config.name);
        c.put("size", cfg.size);
        c.put("frames", cfg.frames);
        c.put("width", cfg.width);
        c.put("contentDim", cfg.contentDim);
        c.put("motionDim", cfg.motionDim);
        c.put("motionCodeDim", cfg.motionCodeDim);
        c.put("decoder", cfg.decoder);
        c.put("spectralNorm", cfg.spectralNorm);
        c.put("batch", o.batch);
        c.put("adversarial_terms", "on (warm-up skipped)");
        c.put("parameters", new FlopCount(cfg).parameterCounts());
        json.put("config", c);

        md.append("# dualmtgan bench\n\n");
        md.append("Command: `").append(o.command).append("`  \n");
        md.append("Date: ").append(date).append("  \n");
        md.append(String.format(Locale.ROOT, "Machine: %s, %d cores, %.1f GiB, Java %s; engine threads %d; mkldnn %s (oneDNN ISA cap %s); load average at start %s  %n",
                machine.get("cpu"), machine.get("cores"), machine.get("memory_gib"), machine.get("java"), engineThreads,
                CpuIsaGuard.mkldnnDisabled() ? "off" : "on", CpuIsaGuard.current() == null ? "none" : CpuIsaGuard.current(), machine.get("load_average_start")));
        md.append(String.format(Locale.ROOT, "Model: `%s` (%dx%d, T %d, width %d, decoder %s), random weights, batch %d, all loss terms on%n%n",
                o.config.name, cfg.size, cfg.size, cfg.frames, cfg.width, cfg.decoder, o.batch));
    }

    void footer() {
        if (!targets.isEmpty()) {
            json.put("targets", targets);
            md.append("## Targets measurable without the reference\n\n| target | measured | met |\n| --- | ---: | --- |\n");
            for (Map<String, Object> t : targets) {
                md.append("| ").append(t.get("target")).append(" | ").append(t.get("measured")).append(" | ")
                        .append(Boolean.TRUE.equals(t.get("met")) ? "yes" : "no").append(" |\n");
            }
            md.append("\nThe time targets against PyTorch come from `bench/compare.sh`.\n\n");
        }
        String end = loadAverage();
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) json.get("machine");
        machine.put("load_average_end", end);
        md.append("Load average at the end: ").append(end).append("\n");
    }

    void peak(int n, int reps, double best, double median) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("matrix", n);
        p.put("repeats", reps);
        p.put("gflops", round(best, 2));
        p.put("gflops_median", round(median, 2));
        json.put("peak", p);
        md.append("## Peak (float32 matrix product through the engine)\n\n| matrix | best GFLOP/s | median GFLOP/s |\n| --- | ---: | ---: |\n");
        md.append(String.format(Locale.ROOT, "| %d x %d | %.1f | %.1f |%n%n", n, n, best, median));
    }

    void train(int batch, int warmup, double[] secs, double median, double clipsPerSecond, long flops, long forwardFlops,
               double gflops, double fraction, long peakRss, Map<String, Long> macsByNetwork) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("batch", batch);
        t.put("warmup_steps", warmup);
        t.put("step_seconds", rounded(secs, 4));
        t.put("median_step_seconds", round(median, 4));
        t.put("clips_per_second", round(clipsPerSecond, 3));
        t.put("flops_per_step", flops);
        t.put("forward_flops_per_step", forwardFlops);
        t.put("forward_macs_by_network", macsByNetwork);
        t.put("achieved_gflops", round(gflops, 2));
        t.put("fraction_of_peak", round(fraction, 3));
        t.put("peak_rss_mib", round(ProcessMemory.mib(peakRss), 1));
        json.put("train", t);
        md.append("## Training step\n\n| batch | steps (after warm-up) | median s/step | clips/s | GFLOP/step | GFLOP/s | of peak | peak RSS (MiB) |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        md.append(String.format(Locale.ROOT, "| %d | %d (%d) | %.3f | %.2f | %.1f | %.1f | %.0f %% | %.0f |%n%n", batch, secs.length, warmup,
                median, clipsPerSecond, flops / 1e9, gflops, 100 * fraction, ProcessMemory.mib(peakRss)));
        md.append("Forward multiply-adds per step by network (GMAC): ");
        List<String> parts = new ArrayList<>();
        macsByNetwork.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f", k, v / 1e9)));
        md.append(String.join(", ", parts)).append(".\n\n");
        target("training step >= 50 % of peak", String.format(Locale.ROOT, "%.0f %%", 100 * fraction), fraction >= PEAK_FRACTION_TARGET);
        target("peak RSS of training <= 4 GiB (batch " + batch + ")", String.format(Locale.ROOT, "%.0f MiB", ProcessMemory.mib(peakRss)),
                ProcessMemory.mib(peakRss) <= MEMORY_TARGET_MIB);
    }

    /** rows: {network, items, forward s, backward s, FLOPs (fwd + bwd)}. */
    void profile(List<Object[]> rows, double stepSeconds) {
        List<Map<String, Object>> out = new ArrayList<>();
        md.append("## Profile: each network's forward and backward at the shapes of one step\n\n");
        md.append("| network | items | forward ms | backward ms | GFLOP (fwd+bwd) | GFLOP/s |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        double sum = 0;
        for (Object[] r : rows) {
            double f = (double) r[2];
            double b = (double) r[3];
            double flops = (double) r[4];
            sum += f + b;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("network", r[0]);
            m.put("items", r[1]);
            m.put("forward_ms", round(f * 1e3, 2));
            m.put("backward_ms", round(b * 1e3, 2));
            m.put("gflop", round(flops / 1e9, 3));
            m.put("gflops", round(flops / (f + b) / 1e9, 2));
            out.add(m);
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.2f | %.1f |%n", r[0], (long) r[1], f * 1e3, b * 1e3,
                    flops / 1e9, flops / (f + b) / 1e9));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("networks", out);
        p.put("networks_seconds", round(sum, 4));
        if (!Double.isNaN(stepSeconds)) {
            p.put("step_seconds", round(stepSeconds, 4));
            p.put("other_seconds", round(stepSeconds - sum, 4));
            double rest = stepSeconds - sum;
            md.append(String.format(Locale.ROOT, "| rest of the step (losses, elementwise, gradient checks, Adam) | | %.0f ms%s | | | |%n",
                    rest * 1e3, rest < 0 ? " (below 0: the step and the networks were timed under different machine load)" : ""));
        }
        md.append("\nItems: frames (E_C), clips (E_M, D_V), latents (R), conditioning images of T frames (G), pairs (D_I); "
                + "one call per network with all of a step's items.\n\n");
        json.put("profile", p);
    }

    void inference(String key, String what, double[] ms, long flops, double peak) {
        double median = Benchmark.median(ms);
        double gflops = flops / (median / 1e3) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("runs_ms", rounded(ms, 2));
        m.put("median_ms", round(median, 2));
        m.put("min_ms", round(Benchmark.min(ms), 2));
        m.put("flops", flops);
        m.put("achieved_gflops", round(gflops, 2));
        m.put("fraction_of_peak", round(gflops / peak, 3));
        json.put(key, m);
        md.append("## Inference: ").append(what).append("\n\n| runs | median ms | min ms | GFLOP | GFLOP/s | of peak |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %.1f | %.0f %% |%n%n", ms.length, median, Benchmark.min(ms),
                flops / 1e9, gflops, 100 * gflops / peak));
        target(key + " >= 50 % of peak", String.format(Locale.ROOT, "%.0f %%", 100 * gflops / peak), gflops / peak >= PEAK_FRACTION_TARGET);
    }

    void data(String path, int threads, int batch, List<DataThroughput.Result> results) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", path);
        d.put("loader_threads", threads);
        d.put("batch", batch);
        md.append("## Data loading\n\n| dataset | loader threads | cache | clips | seconds | clips/s |\n| --- | ---: | --- | ---: | ---: | ---: |\n");
        for (DataThroughput.Result r : results) {
            d.put(r.cached() ? "cached_clips_per_second" : "cold_clips_per_second", round(r.clipsPerSecond(), 1));
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.2f | %.0f |%n", r.dataset(), threads,
                    r.cached() ? "warm (decoded videos cached)" : "cold (decoded per clip)", r.clips(), r.seconds(), r.clipsPerSecond()));
        }
        md.append("\n");
        json.put("data", d);
    }

    /** rows: {T, size, seconds, FLOPs}; the base of the ratios is T 16 at 64x64. */
    void scaling(int batch, int width, int steps, List<Object[]> byT, List<Object[]> bySize) {
        Object[] base = byT.get(1); // T 16, 64x64
        double baseS = (double) base[2];
        long baseF = (long) base[3];
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batch", batch);
        s.put("width", width);
        s.put("steps_per_row", steps);
        s.put("frames", scalingRows(byT, baseS, baseF));
        s.put("sizes", scalingRows(bySize, baseS, baseF));
        md.append(String.format(Locale.ROOT, "## Scaling (batch %d, width %d, median of %d steps after 1; ratios to T 16 at 64x64)%n%n", batch, width, steps));
        md.append("| T | size | s/step | GFLOP/step | time ratio | FLOP ratio | T x pixels ratio | GFLOP/s |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        List<Object[]> all = new ArrayList<>(byT);
        all.add(bySize.get(0));
        all.add(bySize.get(2));
        for (Object[] r : all) {
            int t = (int) r[0];
            int size = (int) r[1];
            double sec = (double) r[2];
            long f = (long) r[3];
            double work = (t / 16.0) * (size * size / 4096.0);
            md.append(String.format(Locale.ROOT, "| %d | %d | %.3f | %.1f | %.2f | %.2f | %.2f | %.1f |%n", t, size, sec, f / 1e9,
                    sec / baseS, (double) f / baseF, work, f / sec / 1e9));
        }
        String note = scalingNote(byT, bySize);
        s.put("note", note);
        md.append("\n").append(note).append("\n\n");
        json.put("scaling", s);
    }

    private static List<Map<String, Object>> scalingRows(List<Object[]> rows, double baseS, long baseF) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object[] r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("frames", r[0]);
            m.put("size", r[1]);
            m.put("step_seconds", round((double) r[2], 4));
            m.put("flops_per_step", r[3]);
            m.put("time_ratio", round((double) r[2] / baseS, 3));
            m.put("flop_ratio", round((double) (long) r[3] / baseF, 3));
            out.add(m);
        }
        return out;
    }

    /** Whether time grows like T and like pixels, judged by the end-to-end ratios (4x in T, 16x in pixels). */
    static String scalingNote(List<Object[]> byT, List<Object[]> bySize) {
        double tTime = (double) byT.get(2)[2] / (double) byT.get(0)[2];
        double tFlops = (double) (long) byT.get(2)[3] / (long) byT.get(0)[3];
        double sTime = (double) bySize.get(2)[2] / (double) bySize.get(0)[2];
        double sFlops = (double) (long) bySize.get(2)[3] / (long) bySize.get(0)[3];
        return String.format(Locale.ROOT,
                "T 8 -> 32 (4x): time x%.2f, FLOPs x%.2f (%s in T). Size 32 -> 128 (16x pixels): time x%.2f, FLOPs x%.2f (%s in pixels). "
                        + "FLOPs are not exactly proportional: D_V halves T per level only while >= 4 frames remain, R and the "
                        + "dense layers do not grow with pixels, and each size adds or removes an encoder level; time departs "
                        + "further from FLOPs where small layers are dominated by per-op overhead (small sizes, short clips) "
                        + "or large activations by memory traffic.",
                tTime, tFlops, linearity(tTime, 4), sTime, sFlops, linearity(sTime, 16));
    }

    private static String linearity(double ratio, double expected) {
        double r = ratio / expected;
        if (r > 1.15) return "super-linear";
        if (r < 0.85) return "sub-linear";
        return "about linear";
    }

    void memory(int batch, int steps, int at, long rssAt, long rssEnd, long peak, double medianStep) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("rss_checkpoint_step", at);
        m.put("rss_at_checkpoint_mib", round(ProcessMemory.mib(rssAt), 1));
        m.put("rss_end_mib", round(ProcessMemory.mib(rssEnd), 1));
        double growth = ProcessMemory.mib(rssEnd) - ProcessMemory.mib(rssAt);
        m.put("growth_mib", round(growth, 1));
        m.put("peak_rss_mib", round(ProcessMemory.mib(peak), 1));
        m.put("median_step_seconds", round(medianStep, 4));
        json.put("memory", m);
        md.append("## Native memory over many steps\n\n| batch | steps | RSS at step " + at + " (MiB) | RSS at the end (MiB) | growth (MiB) | peak RSS (MiB) | median s/step |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        md.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.0f | %+.0f | %.0f | %.3f |%n%n", batch, steps, ProcessMemory.mib(rssAt),
                ProcessMemory.mib(rssEnd), growth, ProcessMemory.mib(peak), medianStep));
        // Allocator noise is tens of MiB; a leak of a step's tensors would be hundreds over 900 steps.
        target("no native memory growth (RSS step " + at + " -> " + steps + ", <= 64 MiB)", String.format(Locale.ROOT, "%+.0f MiB", growth), growth <= 64);
    }

    private void target(String what, String measured, boolean met) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", what);
        t.put("measured", measured);
        t.put("met", met);
        targets.add(t);
    }

    // ---- Machine facts. ----

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static double totalMemoryGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / (1024.0 * 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) return v;
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static double[] rounded(double[] v, int digits) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = round(v[i], digits);
        return out;
    }
}
