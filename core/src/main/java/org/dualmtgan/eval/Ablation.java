package org.dualmtgan.eval;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.TrainConfig;
import org.dualmtgan.train.Trainer;
import org.dualmtgan.train.TrainingProgress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * METHOD.md's ablation study for this implementation: the full model and one variant per switched
 * off term, each trained from the same config, seed and data for the same number of steps, each
 * evaluated with the same protocol and clips; one table with a row per variant (and the
 * protocol's baselines once).
 *
 * <p>A term is switched off by setting its weight to 0, which {@code Losses} treats as "skip the
 * term and any forward work only it needs"; for {@code D_I} and {@code D_V} a weight of 0 also
 * stops training that discriminator (docs/model.md). Run folders are {@code OUT/VARIANT}; a
 * variant whose folder already holds a checkpoint of the budget is not trained again.
 */
public final class Ablation {
    public static final String FULL = "full";
    /** Variant names in table order. */
    public static final List<String> VARIANTS = List.of(FULL, "no-L_C", "no-L_M", "no-D_I", "no-D_V", "no-KL");

    private Ablation() {}

    /** {@code base} with the variant's term switched off (a copy; {@code full} changes nothing). */
    public static TrainConfig variant(TrainConfig base, String name) {
        TrainConfig c = base.copy();
        ModelConfig m = c.model;
        switch (name) {
            case FULL -> { }
            case "no-L_C" -> m.lambdaC = 0;
            case "no-L_M" -> m.lambdaM = 0;
            case "no-D_I" -> m.lambdaI = 0;
            case "no-D_V" -> m.lambdaV = 0;
            case "no-KL" -> m.lambdaKL = 0;
            default -> throw new InvalidInputException("unknown ablation variant '" + name + "' (expected " + String.join(", ", VARIANTS) + ")");
        }
        c.name = base.name + "-" + name;
        return c;
    }

    /** What one ablation does. */
    public static final class Options {
        public Path out;
        /** Training steps of every variant. */
        public long budget;
        public String protocol = Evaluation.RECONSTRUCTION;
        public List<String> variants = VARIANTS;
        public EvalData.Selection selection = new EvalData.Selection();
        public Evaluation.Options eval = new Evaluation.Options();
        /** Receives progress lines; may be null. */
        public Consumer<String> progress;
        /** Training progress of each variant. */
        public TrainingProgress training = TrainingProgress.silent();
    }

    /**
     * Trains and evaluates every variant; returns the table (rows: variants, then the
     * protocol's baselines) and writes each variant's own report to {@code OUT/VARIANT/eval-PROTOCOL}.
     */
    public static EvalResult run(TrainConfig base, Options o) throws IOException {
        if (o.budget < 1) throw new InvalidInputException("--budget must be >= 1 step, got " + o.budget);
        if (o.variants.isEmpty()) throw new InvalidInputException("no variants to run");
        for (String v : o.variants) variant(base, v);
        // Refuse what the evaluation would refuse before any training is spent.
        if (!Evaluation.PROTOCOLS.contains(o.protocol)) {
            throw new InvalidInputException("unknown protocol '" + o.protocol + "' (expected " + String.join(", ", Evaluation.PROTOCOLS) + ")");
        }
        if (o.protocol.equals(Evaluation.TRANSFER) && o.selection.data == null) {
            throw new InvalidInputException("the transfer protocol needs evaluation data: a synthetic dataset (--eval-data DIR)");
        }
        if (o.eval.samples < 1 || o.eval.cond < 1) throw new InvalidInputException("--samples and --cond must be >= 1");
        if (base.data.path == null || base.data.path.isBlank()) throw new InvalidInputException("the config sets no data.path");
        // The selection falls back to the training config's test subset; make that independent of later cwd changes.
        base = base.copy();
        base.data.path = Path.of(base.data.path).toAbsolutePath().normalize().toString();
        EvalResult table = null;
        Map<String, Double> trainSeconds = new LinkedHashMap<>();
        for (String name : o.variants) {
            TrainConfig cfg = variant(base, name);
            cfg.train.steps = o.budget;
            // Keep the config's checkpoint cadence (capped at the budget) so a stopped ablation resumes
            // mid-variant instead of training that variant again.
            cfg.train.checkpointEvery = (int) Math.min(cfg.train.checkpointEvery, o.budget);
            cfg.train.sampleEvery = (int) Math.min(Integer.MAX_VALUE, o.budget);
            Path run = o.out.resolve(name);
            Trainer.Options topts = new Trainer.Options();
            topts.runDir = run.toAbsolutePath().normalize();
            topts.resume = Files.isDirectory(run.resolve("checkpoints")) && !Trainer.listCheckpoints(run.resolve("checkpoints")).isEmpty();
            topts.progress = o.training;
            if (topts.resume) {
                long at = Checkpoint.readInfo(Trainer.latestCheckpoint(run)).step;
                say(o, at >= o.budget ? name + " already holds a checkpoint of step " + at + "; not trained again"
                        : "resuming " + name + " from step " + at + " of " + o.budget + " in " + run);
            } else {
                say(o, "training " + name + " for " + o.budget + " steps into " + run);
            }
            Trainer.Result tr = new Trainer().run(cfg, topts);
            trainSeconds.put(name, tr.wallSeconds());
            say(o, "evaluating " + name + " (" + o.protocol + ")");
            EvalResult r;
            try (Animator model = Animator.load(tr.lastCheckpoint())) {
                r = Evaluation.run(o.protocol, model, o.selection, o.eval);
            }
            EvalReport.write(r, run.resolve("eval-" + o.protocol));
            if (table == null) {
                table = new EvalResult(r.protocol, r.metrics);
                table.firstScoredFrame = r.firstScoredFrame;
                table.title = "Ablation: " + base.name + ", " + o.budget + " steps per variant, " + r.protocol + " protocol";
                table.meta.put("config", base.name);
                table.meta.put("budget (steps per variant)", o.budget);
                table.meta.put("training seed", base.train.seed);
                for (Map.Entry<String, Object> e : r.meta.entrySet()) {
                    if (!e.getKey().startsWith("model")) table.meta.put(e.getKey(), e.getValue());
                }
            }
            table.method(name, describe(name));
            for (EvalResult.ClipScore s : r.scores) {
                if (s.method().equals(Evaluation.MODEL)) table.add(s.clip(), name, s.values());
            }
            for (Map.Entry<String, List<double[]>> e : r.ssimCurves.entrySet()) {
                if (!e.getKey().startsWith(Evaluation.MODEL)) continue;
                String label = name + e.getKey().substring(Evaluation.MODEL.length());
                for (double[] c : e.getValue()) table.curve(label, c);
            }
            if (name.equals(o.variants.get(o.variants.size() - 1))) addBaselines(table, r);
        }
        table.meta.put("training seconds", trainSeconds);
        table.notes.add("Each variant is trained from the same config, seed and data order for the same number of steps;"
                + " a switched-off term has weight 0. Each variant's own report is OUT/VARIANT/eval-" + o.protocol + ".md.");
        if (o.protocol.equals(Evaluation.STOCHASTIC)) table.notes.add(Evaluation.NOT_LPIPS);
        return table;
    }

    /**
     * The baseline rows (every method of a variant's result other than the model and its latent
     * row, which belong to that variant) appended once.
     */
    private static void addBaselines(EvalResult table, EvalResult r) {
        List<String> baselines = new ArrayList<>(r.methods);
        baselines.remove(Evaluation.MODEL);
        baselines.remove(Evaluation.LATENT);
        for (String b : baselines) table.method(b, r.descriptions.get(b));
        for (EvalResult.ClipScore s : r.scores) {
            if (baselines.contains(s.method())) table.add(s.clip(), s.method(), s.values());
        }
        for (Map.Entry<String, List<double[]>> e : r.ssimCurves.entrySet()) {
            if (!baselines.contains(e.getKey())) continue;
            for (double[] c : e.getValue()) table.curve(e.getKey(), c);
        }
    }

    static String describe(String variant) {
        return switch (variant) {
            case FULL -> "all terms on (the config as it is)";
            case "no-L_C" -> "content temporal coherence L_C off (lambdaC = 0)";
            case "no-L_M" -> "motion consistency L_M off (lambdaM = 0)";
            case "no-D_I" -> "image discriminator D_I off (lambdaI = 0: no L_GAN^I, D_I not trained)";
            case "no-D_V" -> "video discriminator D_V off (lambdaV = 0: no L_GAN^V, D_V not trained)";
            case "no-KL" -> "KL term of the motion latent off (lambdaKL = 0)";
            default -> variant;
        };
    }

    private static void say(Options o, String line) {
        if (o.progress != null) o.progress.accept(line);
    }
}
