package org.dualmtgan.cli;

import org.dualmtgan.animate.Animator;
import org.dualmtgan.eval.EvalData;
import org.dualmtgan.eval.EvalReport;
import org.dualmtgan.eval.EvalResult;
import org.dualmtgan.eval.Evaluation;
import org.dualmtgan.eval.Lpips;
import org.dualmtgan.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dualmtgan eval}: the evaluation protocols of METHOD.md with their baselines (docs/eval.md). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        header = "Evaluate a model with one of docs/method.md's protocols, next to its baselines.",
        description = {"Evaluate a model with one of docs/method.md's protocols, next to baselines:",
                "  stochastic      N samples from the first frame(s): best-of-N and mean-of-N SSIM, diversity",
                "  transfer        synthetic clips with ground truth: SSIM, PSNR, L1, keypoint error",
                "  reconstruction  self-transfer of held-out clips",
                "Prints a Markdown table and writes OUT.md, OUT.csv, OUT.json and OUT-ssim-per-frame.png."},
        footer = {"", "Examples:",
                "  dualmtgan eval --model weizmann-64 --protocol stochastic --samples 100",
                "  dualmtgan eval --model faces-64 --protocol transfer --data data/faces-test",
                "  dualmtgan eval --model runs/weizmann-64 --protocol reconstruction --out results/weizmann-rec.md"})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AnimateSupport.ModelOption model;

    @Option(names = "--protocol", paramLabel = "P", required = true,
            description = "stochastic, transfer or reconstruction.")
    String protocol;

    @Mixin
    EvalOptions options;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Output base name (a trailing .md, .csv or .json is dropped). Default: out/eval/MODEL-PROTOCOL.")
    Path out;

    /**
     * Options shared by {@code eval}, {@code ablate} and {@code dualmtgan-spark eval}: which clips,
     * how many samples, the seed.
     */
    public static final class EvalOptions {
        @Option(names = "--samples", paramLabel = "N", defaultValue = "100",
                description = "Samples per clip (stochastic). Default: ${DEFAULT-VALUE}, the paper's.")
        int samples;

        @Option(names = "--cond", paramLabel = "K", defaultValue = "1",
                description = "Conditioning frames (stochastic). Default: ${DEFAULT-VALUE}.")
        int cond;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of every draw. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--clips", paramLabel = "N", defaultValue = "0", description = "Evaluate at most N clips (0: all). Default: ${DEFAULT-VALUE}.")
        int clips;

        @Option(names = "--frames", paramLabel = "T", defaultValue = "0",
                description = "Frames per evaluated clip (0: the model's T). Default: ${DEFAULT-VALUE}.")
        int frames;

        @Option(names = "--stride", paramLabel = "S", defaultValue = "0",
                description = "Stride between frames (0: the model's training stride). Default: ${DEFAULT-VALUE}.")
        int stride;

        @Option(names = "--per-video", paramLabel = "M", defaultValue = "1",
                description = "Clips per video, at evenly spaced starts. Default: ${DEFAULT-VALUE}.")
        int perVideo;

        @Option(names = "--pairs", paramLabel = "N", defaultValue = "200",
                description = "Most sample pairs per clip for div-1-ssim and div-l1 (a seeded subset beyond). Default: ${DEFAULT-VALUE}.")
        int pairs;

        @Option(names = "--lpips", paramLabel = "FILE.npz",
                description = "LPIPS (v0.1, AlexNet) weights as .npz (docs/eval.md): adds lpips / div-lpips columns.")
        Path lpips;

        public EvalData.Selection selection(Path data) {
            EvalData.Selection s = new EvalData.Selection();
            s.data = data;
            s.clips = clips;
            s.frames = frames;
            s.stride = stride;
            s.perVideo = perVideo;
            if (frames < 0) throw new InvalidInputException("--frames must be >= 0, got " + frames);
            if (stride < 0) throw new InvalidInputException("--stride must be >= 0, got " + stride);
            return s;
        }

        public Evaluation.Options evaluation(PrintWriter progress) {
            Evaluation.Options o = new Evaluation.Options();
            o.samples = samples;
            o.cond = cond;
            o.seed = seed;
            o.maxPairs = pairs;
            if (lpips != null) o.lpips = Lpips.load(lpips);
            o.progress = line -> {
                progress.println(line);
                progress.flush();
            };
            return o;
        }
    }

    @Option(names = "--data", paramLabel = "DIR",
            description = "Clips to evaluate: a dataset folder (all its videos). Default: the held-out test subset of the model's training data. Required for transfer (a synthetic dataset).")
    Path data;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String p = protocol.trim().toLowerCase(Locale.ROOT);
        if (!Evaluation.PROTOCOLS.contains(p)) {
            throw new InvalidInputException("unknown --protocol '" + protocol + "' (expected " + String.join(", ", Evaluation.PROTOCOLS) + ")");
        }
        long t0 = System.nanoTime();
        EvalData.Selection selection = options.selection(data);
        EvalResult r;
        Path base;
        try (Animator animator = model.open()) {
            r = Evaluation.run(p, animator, selection, options.evaluation(stderr));
            String name = animator.info() != null && animator.info().config != null && animator.info().config.name != null
                    ? animator.info().config.name : "model";
            base = EvalReport.base(out != null ? out : Path.of("out", "eval", name + "-" + p));
        }
        List<Path> files = EvalReport.write(r, base);
        stdout.print(EvalReport.markdown(r));
        stdout.printf(Locale.ROOT, "wrote %s (%.1f s)%n", String.join(", ", files.stream().map(Path::toString).toList()),
                AnimateSupport.seconds(t0));
        stdout.flush();
        return Main.EXIT_OK;
    }
}
