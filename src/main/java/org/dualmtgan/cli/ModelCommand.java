package org.dualmtgan.cli;

import org.dualmtgan.train.Checkpoint;
import org.dualmtgan.train.CheckpointInfo;
import org.dualmtgan.train.ModelSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dualmtgan model}: inspect and export checkpoints. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Inspect and export model checkpoints.",
        subcommands = {ModelCommand.Info.class, ModelCommand.Export.class})
public final class ModelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code dualmtgan model info PATH}: provenance, config summary and parameter counts, from the header. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print a checkpoint's provenance, config summary and parameter counts.")
    static final class Info implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH", description = "A checkpoint (.ckpt) or a run folder (its latest checkpoint).")
        Path path;

        @Option(names = "--json", description = "Print the whole header as JSON instead.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Path file = ModelSummary.resolve(path);
            CheckpointInfo info = Checkpoint.readInfo(file);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? ModelSummary.json(info) : ModelSummary.describe(file, info));
            out.flush();
            return Main.EXIT_OK;
        }
    }

    /** {@code dualmtgan model export CKPT OUT [--float16]}: inference-only weights for shipping. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the inference-only weights (E_C, E_M, R, G) of a checkpoint, optionally as float16.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CKPT", description = "A training checkpoint or a run folder.")
        Path from;

        @Parameters(index = "1", paramLabel = "OUT", description = "The exported file (.ckpt).")
        Path to;

        @Option(names = "--float16", description = "Store weights as float16 (half the size; computation stays float32).")
        boolean float16;

        @Override
        public Integer call() throws Exception {
            Path file = ModelSummary.resolve(from);
            ModelSummary.exportInference(file, to, float16);
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + to + " (" + java.nio.file.Files.size(to) + " bytes, " + (float16 ? "float16" : "float32") + ")");
            out.flush();
            return Main.EXIT_OK;
        }
    }
}
