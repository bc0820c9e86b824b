package org.dualmtgan.cli;

import org.dualmtgan.animate.BundledModels;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.run.ModelSummary;
import org.dualmtgan.animate.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dualmtgan model}: inspect and export checkpoints. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "List the bundled models; inspect, export and bundle checkpoints.",
        subcommands = {ModelCommand.ListModels.class, ModelCommand.Info.class, ModelCommand.Export.class, ModelCommand.Bundle.class})
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

    /** {@code dualmtgan model list}: the bundled models with their provenance; {@code --card NAME} prints a card. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the bundled models (models/NAME/model.ckpt) with their model cards.")
    static final class ListModels implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--card", paramLabel = "NAME", description = "Print this model's whole card.")
        String card;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (card != null) {
                if (!org.dualmtgan.animate.Animator.bundled().contains(card)) {
                    throw new org.dualmtgan.InvalidInputException("unknown model '" + card + "': bundled models are "
                            + String.join(", ", org.dualmtgan.animate.Animator.bundled()));
                }
                String text = BundledModels.cardText(card);
                out.print(text != null ? text : "model " + card + " has no card\n");
                out.flush();
                return Main.EXIT_OK;
            }
            var all = ModelBundle.list();
            if (all.isEmpty()) out.println("no bundled models installed (models/NAME/model.ckpt)");
            for (var m : all) {
                var i = m.info();
                var c = i.config;
                out.printf(java.util.Locale.ROOT, "%-14s %dx%d, T %d, width %d, %s; %d steps (%.1f h) on %s, data %s%n",
                        m.name(), c.model.size, c.model.size, c.model.frames, c.model.width, i.storage, i.step,
                        i.wallSeconds / 3600, c.data == null || c.data.path == null ? "?" : java.nio.file.Path.of(c.data.path).getFileName(), i.dataFingerprint);
                out.println("               card: " + (m.card() != null ? m.card() : "dualmtgan model list --card " + m.name()));
            }
            out.flush();
            return Main.EXIT_OK;
        }
    }

    /** {@code dualmtgan model bundle CKPT NAME}: ship a checkpoint as a bundled model with its card. */
    @Command(name = "bundle", mixinStandardHelpOptions = true,
            header = "Make a bundled model (models/NAME) from a training checkpoint or a run folder.",
            description = {"Make a bundled model from a training checkpoint: models/NAME/model.ckpt (float16 when",
                    "outputs stay within 1e-2 of float32), MODEL_CARD.md, and with --keep-resume resume.ckpt."})
    static final class Bundle implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CKPT", description = "A training checkpoint, or a run folder (weights of checkpoints/best.ckpt when the run evaluated held-out clips, else its latest; resume from its latest).")
        Path from;

        @Parameters(index = "1", paramLabel = "NAME", description = "The bundled model's name, e.g. weizmann-64.")
        String name;

        @Option(names = "--models", paramLabel = "DIR", defaultValue = "models", description = "Folder of bundled models. Default: ${DEFAULT-VALUE}.")
        Path models;

        @Option(names = "--eval", paramLabel = "FILE.md", split = ",", description = "Evaluation tables to put in the card.")
        java.util.List<Path> eval = new java.util.ArrayList<>();

        @Option(names = "--notes", paramLabel = "TEXT", description = "A paragraph for the top of the card.")
        String notes;

        @Option(names = "--keep-resume", description = "Also store the last step's parameters (float32, no optimizer moments) as resume.ckpt, to continue training later.")
        boolean keepResume;

        @Override
        public Integer call() throws Exception {
            // A run folder: the best held-out checkpoint's weights, the latest for resuming.
            var r = java.nio.file.Files.isDirectory(from)
                    ? ModelBundle.bundleRun(from, name, models, eval, keepResume, notes)
                    : ModelBundle.bundle(ModelSummary.resolve(from), name, models, eval, keepResume, notes);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(java.util.Locale.ROOT, "wrote %s (%s, %d bytes; float16 vs float32 max difference %.2e)%n", r.model(), r.storage(), r.bytes(), r.float16MaxDiff());
            out.println("wrote " + r.card());
            if (r.resume() != null) out.println("wrote " + r.resume());
            out.flush();
            return Main.EXIT_OK;
        }
    }
}
