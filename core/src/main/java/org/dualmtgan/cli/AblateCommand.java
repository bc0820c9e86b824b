package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.eval.Ablation;
import org.dualmtgan.eval.EvalReport;
import org.dualmtgan.eval.EvalResult;
import org.dualmtgan.eval.Evaluation;
import org.dualmtgan.run.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dualmtgan ablate}: METHOD.md's ablation table for this implementation (docs/eval.md). */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        header = "Train the full model and each ablation variant, then evaluate them in one table.",
        description = {"Train the full model and each ablation variant (no-L_C, no-L_M, no-D_I, no-D_V, no-KL)",
                "for the same number of steps, evaluate each with the same protocol, and write one table:",
                "OUT/ablation-PROTOCOL.md, .csv, .json and -ssim-per-frame.png; runs in OUT/VARIANT (resumed",
                "if present; a trained variant is only evaluated, so other protocols cost no training)."},
        footer = {"", "Example:",
                "  dualmtgan ablate --config configs/weizmann-64.json --budget 300 --protocol reconstruction"})
public final class AblateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "Training config (configs/*.json).")
    Path config;

    @Option(names = "--budget", paramLabel = "STEPS", required = true, description = "Training steps of every variant.")
    long budget;

    @Option(names = "--protocol", paramLabel = "P", defaultValue = Evaluation.RECONSTRUCTION,
            description = "stochastic, transfer or reconstruction. Default: ${DEFAULT-VALUE}.")
    String protocol;

    @Option(names = "--variants", paramLabel = "LIST", split = ",",
            description = "Variants to run, comma-separated (default: all: full, no-L_C, no-L_M, no-D_I, no-D_V, no-KL).")
    List<String> variants;

    @Option(names = "--data", paramLabel = "DIR", description = "Training data folder, overriding data.path of the config.")
    Path trainData;

    @Option(names = "--eval-data", paramLabel = "DIR",
            description = "Clips to evaluate. Default: the test subset of the config's data. Required for transfer.")
    Path evalData;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/ablation-NAME).")
    Path out;

    @Option(names = "--train-seed", paramLabel = "K",
            description = "Training seed of every variant (default: the config's train.seed); run the ablation again"
                    + " with other seeds into other --out folders to see which differences hold.")
    Long trainSeed;

    @Mixin
    EvalCommand.EvalOptions options;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String p = protocol.trim().toLowerCase(Locale.ROOT);
        if (!Evaluation.PROTOCOLS.contains(p)) {
            throw new InvalidInputException("unknown --protocol '" + protocol + "' (expected " + String.join(", ", Evaluation.PROTOCOLS) + ")");
        }
        TrainConfig cfg = TrainConfig.read(config);
        if (trainData != null) cfg.data.path = trainData.toString();
        if (trainSeed != null) cfg.train.seed = trainSeed;
        if (cfg.data.path == null || cfg.data.path.isBlank()) throw new InvalidInputException(config, "data.path is not set: give --data DIR");
        long t0 = System.nanoTime();
        Ablation.Options o = new Ablation.Options();
        o.out = out != null ? out : Path.of("runs", "ablation-" + cfg.name);
        o.budget = budget;
        o.protocol = p;
        if (variants != null) {
            List<String> v = new ArrayList<>();
            for (String s : variants) if (!s.isBlank()) v.add(s.trim());
            o.variants = v;
        }
        o.selection = options.selection(evalData);
        o.eval = options.evaluation(stderr);
        o.progress = line -> {
            stderr.println(line);
            stderr.flush();
        };
        EvalResult table = Ablation.run(cfg, o);
        List<Path> files = EvalReport.write(table, o.out.resolve("ablation-" + o.protocol));
        stdout.print(EvalReport.markdown(table));
        stdout.printf(Locale.ROOT, "wrote %s (%.1f s)%n", String.join(", ", files.stream().map(Path::toString).toList()),
                AnimateSupport.seconds(t0));
        stdout.flush();
        return Main.EXIT_OK;
    }
}
