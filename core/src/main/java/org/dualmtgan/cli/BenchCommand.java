package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.bench.BenchReport;
import org.dualmtgan.bench.Benchmark;
import org.dualmtgan.run.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code dualmtgan bench}: speed, FLOP rate and memory of training and inference for a config,
 * with random weights on synthetic clips (the data part reads the config's dataset). Prints a
 * Markdown report; {@code --out FILE} also writes FILE.md and FILE.json. docs/benchmarks.md
 * explains every figure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmark training and inference of a config: speed, FLOPs, scaling, memory.",
        description = {"Benchmark training and inference of a config: step time, clips/s, latency,",
                "FLOPs and their fraction of the measured peak, scaling, data loading, memory.",
                "Random weights on synthetic clips (the data part reads the config's dataset)."})
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "C", defaultValue = "weizmann-64",
            description = "Config file, or the name of one in configs/ (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--what", paramLabel = "PART", split = ",", defaultValue = "all",
            description = "What to measure, comma-separated: train, profile, transfer, generate, data, peak, scaling, memory, "
                    + "or all (default: ${DEFAULT-VALUE}; all = every part but memory, which runs many steps).")
    List<String> what;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", description = "Clips per training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--frames", paramLabel = "T", description = "Clip length T, overriding the config's.")
    Integer frames;

    @Option(names = "--size", paramLabel = "S", description = "Frame size (32, 64, 128), overriding the config's.")
    Integer size;

    @Option(names = "--width", paramLabel = "W", description = "Base channel width, overriding the config's.")
    Integer width;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
            description = "Measured training steps after the warm-up; for memory the total steps, e.g. 1000 (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed training steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "10", description = "Timed calls per inference latency (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--scaling-steps", paramLabel = "N", defaultValue = "3",
            description = "Timed steps per row of the scaling tables (default: ${DEFAULT-VALUE}).")
    int scalingSteps;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Engine intra-op threads (default: the engine's own choice, one per core).")
    int threads;

    @Option(names = "--peak-size", paramLabel = "N", defaultValue = "2048",
            description = "Side of the float32 matrices of the peak measurement (default: ${DEFAULT-VALUE}).")
    int peakSize;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "With train: write the engine profiler's per-op trace of one extra step (chrome://tracing JSON).")
    Path trace;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write FILE.md and FILE.json (atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Benchmark.Options o = new Benchmark.Options();
        Path file = resolveConfig(config);
        o.config = TrainConfig.read(file);
        if (frames != null) o.config.model.frames = frames;
        if (size != null) o.config.model.size = size;
        if (width != null) o.config.model.width = width;
        try {
            o.config.model.validate();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file, e.getMessage(), e);
        }
        positive("--batch", batch);
        positive("--steps", steps);
        positive("--runs", runs);
        positive("--scaling-steps", scalingSteps);
        positive("--peak-size", peakSize);
        if (warmup < 0) throw new InvalidInputException("--warmup must be >= 0, got " + warmup);
        if (threads < 0) throw new InvalidInputException("--threads must be >= 0, got " + threads);
        o.batch = batch;
        o.steps = steps;
        o.warmup = warmup;
        o.runs = runs;
        o.scalingSteps = scalingSteps;
        o.threads = threads;
        o.peakSize = peakSize;
        o.trace = trace;
        o.parts = parts(what);
        o.command = "dualmtgan " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        BenchReport report = new Benchmark(o, stderr).run();
        stdout.print(report.markdown());
        stdout.flush();
        if (out != null) {
            report.write(out);
            stderr.println("bench: wrote " + out.toString().replaceFirst("\\.(md|json)$", "") + ".md and .json");
            stderr.flush();
        }
        return Main.EXIT_OK;
    }

    /** A path to a config file, or a name looked up as configs/NAME.json. */
    static Path resolveConfig(String config) {
        Path p = Path.of(config);
        if (Files.isRegularFile(p)) return p;
        Path named = Path.of("configs", config.endsWith(".json") ? config : config + ".json");
        if (Files.isRegularFile(named)) return named;
        throw new InvalidInputException(p, "config file not found (nor " + named + ")");
    }

    static Set<String> parts(List<String> what) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : what) {
            String p = w.trim().toLowerCase(java.util.Locale.ROOT);
            if (p.equals("all")) {
                for (String q : Benchmark.PARTS) if (!q.equals("memory")) out.add(q);
            } else if (Benchmark.PARTS.contains(p)) {
                out.add(p);
            } else {
                throw new InvalidInputException("--what: unknown part '" + w + "' (expected " + String.join(", ", Benchmark.PARTS) + " or all)");
            }
        }
        return out;
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new InvalidInputException(name + " must be >= 1, got " + v);
    }
}
