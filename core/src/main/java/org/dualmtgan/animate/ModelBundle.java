package org.dualmtgan.animate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.Video;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.run.ModelSummary;
import org.dualmtgan.util.AtomicFiles;
import org.dualmtgan.util.ProjectInfo;
import org.dualmtgan.util.ShownPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a training checkpoint into a bundled model: {@code models/NAME/model.ckpt} (the inference
 * networks; float16 when every output of a fixed check stays within {@link #FLOAT16_TOLERANCE} of
 * float32, else float32), {@code models/NAME/MODEL_CARD.md} (config, data and fingerprint, steps,
 * training time and machine, the float16 check, evaluation tables) and, on request,
 * {@code models/NAME/resume.ckpt} (every parameter at the last step, to continue the run later). Each file
 * replaces the earlier one; nothing accumulates.
 */
public final class ModelBundle {
    /** Largest output difference (pixel values in [0, 1]) allowed for shipping float16 weights. */
    public static final double FLOAT16_TOLERANCE = 1e-2;
    public static final String CARD = BundledModels.CARD;
    public static final String RESUME = "resume.ckpt";

    /** What was written and measured. */
    public record Result(Path model, Path card, Path resume, String storage, double float16MaxDiff, long bytes) {}

    private ModelBundle() {}

    /**
     * Bundles {@code checkpoint} as {@code modelsDir/name}. {@code evalTables} (Markdown files, for
     * example from {@code dualmtgan eval}) are copied into the card; {@code keepResume} also stores
     * the training checkpoint as {@link #RESUME}.
     */
    public static Result bundle(Path checkpoint, String name, Path modelsDir, List<Path> evalTables, boolean keepResume,
            String notes) throws IOException {
        return bundle(checkpoint, checkpoint, null, name, modelsDir, evalTables, keepResume, notes);
    }

    /**
     * Bundles a run folder: the weights of its best held-out checkpoint ({@code checkpoints/best.ckpt},
     * written when the run evaluates during training) or, without one, of its latest; the resume
     * checkpoint from its latest (training continues from the last step, not from the best). The
     * card gains the run's held-out history ({@code heldout.csv}) and its curves are copied beside
     * the model ({@code heldout.png}, {@code losses.png}, replaced on each bundling).
     */
    public static Result bundleRun(Path runDir, String name, Path modelsDir, List<Path> evalTables, boolean keepResume,
            String notes) throws IOException {
        Path latest = ModelSummary.resolve(runDir);
        Path best = runDir.resolve("checkpoints").resolve(org.dualmtgan.run.RunFolder.BEST);
        // The motion prior stage's result is best.ckpt with its prior refitted: the run's model when present.
        Path motion = runDir.resolve("checkpoints").resolve(org.dualmtgan.run.RunFolder.MOTION);
        Path weights = Files.isRegularFile(motion) ? motion : Files.isRegularFile(best) ? best : latest;
        Path heldOut = runDir.resolve("heldout.csv");
        Result r = bundle(weights, latest, Files.isRegularFile(heldOut) ? heldOut : null, name, modelsDir, evalTables, keepResume, notes);
        Path dir = modelsDir.resolve(name);
        for (String png : List.of("heldout.png", "losses.png", "motion.png")) {
            Path from = runDir.resolve(png);
            if (Files.isRegularFile(from)) {
                AtomicFiles.write(dir.resolve(png), tmp -> Files.copy(from, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING));
            } else {
                Files.deleteIfExists(dir.resolve(png));
            }
        }
        return r;
    }

    static Result bundle(Path checkpoint, Path resumeFrom, Path heldOutCsv, String name, Path modelsDir, List<Path> evalTables,
            boolean keepResume, String notes) throws IOException {
        if (!BundledModels.looksLikeName(name)) throw new InvalidInputException("'" + name + "' is not a valid model name");
        CheckpointInfo info = Checkpoint.readInfo(checkpoint);
        if (!CheckpointInfo.KIND_TRAINING.equals(info.kind)) {
            throw new InvalidInputException(checkpoint, "is not a training checkpoint");
        }
        for (Path t : evalTables) if (!Files.isRegularFile(t)) throw new InvalidInputException(t, "evaluation table not found");
        Path dir = modelsDir.resolve(name);
        Files.createDirectories(dir);
        Path f32 = Files.createTempFile(dir, ".export32-", ".tmp");
        Path f16 = Files.createTempFile(dir, ".export16-", ".tmp");
        try {
            ModelSummary.exportInference(checkpoint, f32, false);
            ModelSummary.exportInference(checkpoint, f16, true);
            double diff = float16Difference(f32, f16);
            boolean half = diff <= FLOAT16_TOLERANCE;
            Path model = dir.resolve(BundledModels.FILE);
            Path chosen = half ? f16 : f32;
            AtomicFiles.write(model, tmp -> Files.copy(chosen, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING));
            Path resume = null;
            CheckpointInfo resumeInfo = null;
            if (keepResume) {
                resume = dir.resolve(RESUME);
                resumeInfo = resumeFrom.equals(checkpoint) ? info : Checkpoint.readInfo(resumeFrom);
                if (!CheckpointInfo.KIND_TRAINING.equals(resumeInfo.kind)) {
                    throw new InvalidInputException(resumeFrom, "is not a training checkpoint");
                }
                writeResume(resumeFrom, resume);
            } else {
                Files.deleteIfExists(dir.resolve(RESUME));
            }
            String storage = half ? "float16" : "float32";
            long bytes = Files.size(model);
            Path card = dir.resolve(CARD);
            String text = card(name, info, storage, diff, bytes, evalTables, resumeInfo, notes);
            if (heldOutCsv != null) text = text + heldOutSection(heldOutCsv);
            AtomicFiles.writeString(card, text);
            return new Result(model, card, resume, storage, diff, bytes);
        } finally {
            Files.deleteIfExists(f32);
            Files.deleteIfExists(f16);
        }
    }

    /**
     * The training state without the optimizers' moments: every parameter (float32, so training
     * continues from exactly these weights) and the step, with empty optimizer sections, so Adam
     * restarts its moments on resume. Keeps the shipped file at a third of a full checkpoint.
     */
    static void writeResume(Path checkpoint, Path resume) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             Checkpoint ckpt = Checkpoint.load(checkpoint, manager)) {
            CheckpointInfo info = ckpt.info();
            info.optimizerSteps = new LinkedHashMap<>();
            Map<String, Map<String, NDArray>> sections = new LinkedHashMap<>();
            sections.put(Checkpoint.PARAMETERS, ckpt.parameters());
            sections.put(Checkpoint.GENERATOR_OPTIMIZER, new LinkedHashMap<>());
            sections.put(Checkpoint.DISCRIMINATOR_OPTIMIZER, new LinkedHashMap<>());
            Checkpoint.save(resume, info, sections, DataType.FLOAT32);
        }
    }

    /**
     * Largest absolute difference between the float32 and float16 exports' outputs on a fixed check:
     * a transfer and two generated samples from seeded random inputs at the model's size.
     */
    static double float16Difference(Path f32, Path f16) {
        try (Animator a = Animator.load(f32); Animator b = Animator.load(f16)) {
            int s = a.size();
            int t = a.clipLength();
            Video image = noise(1, s, 1);
            Video driving = smooth(t, s, 2);
            double d = maxDiff(a.transfer(image, driving), b.transfer(image, driving));
            List<Video> ga = a.generate(driving.frame(0), 2, 7, t);
            List<Video> gb = b.generate(driving.frame(0), 2, 7, t);
            for (int i = 0; i < ga.size(); i++) d = Math.max(d, maxDiff(ga.get(i), gb.get(i)));
            return d;
        }
    }

    private static double maxDiff(Video x, Video y) {
        float[] a = x.data();
        float[] b = y.data();
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static Video noise(int frames, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[frames * 3 * size * size];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble();
        return new Video(d, frames, size, size, Video.DEFAULT_FPS);
    }

    /** A blurred moving blob over a gradient: a plausible input rather than pure noise. */
    private static Video smooth(int frames, int size, long seed) {
        float[] d = new float[frames * 3 * size * size];
        for (int t = 0; t < frames; t++) {
            double cx = size * (0.3 + 0.4 * t / Math.max(1, frames - 1));
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double r2 = ((x - cx) * (x - cx) + (y - size / 2.0) * (y - size / 2.0)) / (size * size / 36.0);
                        d[((t * 3 + c) * size + y) * size + x] = (float) (0.2 + 0.1 * c + 0.3 * y / size + 0.4 * Math.exp(-r2));
                    }
                }
            }
        }
        return new Video(d, frames, size, size, Video.DEFAULT_FPS);
    }

    /** The card; {@code resume} is the shipped resume checkpoint's header, or null when none ships. */
    static String card(String name, CheckpointInfo info, String storage, double diff, long bytes, List<Path> evalTables,
            CheckpointInfo resume, String notes) throws IOException {
        var m = info.config.model;
        var d = info.config.data;
        var t = info.config.train;
        int batch = t == null ? 0 : t.batch;
        StringBuilder b = new StringBuilder();
        b.append("# Model card: ").append(name).append("\n\n");
        if (notes != null && !notes.isBlank()) b.append(notes.strip()).append("\n\n");
        b.append("| | |\n| --- | --- |\n");
        row(b, "task", "image-to-video: motion transfer and stochastic generation (Dual-MTGAN)");
        row(b, "resolution", m.size + "x" + m.size + ", trained on clips of T = " + m.frames + " frames (any length at inference)");
        row(b, "width", m.width + " (content " + m.contentDim + ", motion latent " + m.motionDim + ", motion code " + m.motionCodeDim + ")");
        row(b, "decoder", m.decoder);
        row(b, "data", d == null ? "not recorded" : "`" + shownPath(d.path) + "` (" + d.layout + ", stride " + d.stride + ", split rule " + (d.split == null ? "none" : d.split.rule) + ")");
        row(b, "data fingerprint", "`" + info.dataFingerprint + "`");
        row(b, "training", info.step + " steps of batch " + batch + ", seed " + info.seed + ", "
                + String.format(Locale.ROOT, "%.1f h", info.wallSeconds / 3600) + " wall");
        if (info.motionSteps > 0) {
            row(b, "motion prior", "fitted after the image stage for " + info.motionSteps + " steps of " + t.motionBatch
                    + " keypoint windows, everything else frozen (train.motionSteps; curve motion.png, held-out motion-heldout.csv of the run)");
        }
        row(b, "machine", info.machine + " (" + info.device + ")");
        row(b, "trained by", "project " + info.projectVersion + ", `dualmtgan train --config configs/" + info.config.name + ".json`");
        row(b, "checkpoint written", info.created);
        row(b, "weights", storage + ", " + bytes + " bytes (inference networks E_C, E_M, R, G)");
        row(b, "float16 check", String.format(Locale.ROOT, "largest output difference float16 vs float32: %.2e (limit %.0e) -> %s",
                diff, FLOAT16_TOLERANCE, storage));
        long params = 0;
        for (Map.Entry<String, Long> e : info.parameterCounts.entrySet()) params += e.getValue();
        row(b, "parameters", params + " in training (" + info.parameterCounts + ")");
        String at = resume == null || resume.step == info.step ? "the last step"
                : "the run's last step (" + resume.step + "; the weights are step " + info.step + ", the best held-out score)";
        row(b, "resume", resume != null ? "`models/" + name + "/" + RESUME + "` holds every parameter at " + at + " (the optimizer's moments restart): `dualmtgan train --resume-from models/"
                + name + "/" + RESUME + " --out runs/" + name + "`" : "not shipped");
        row(b, "bundled", LocalDate.now(ZoneOffset.UTC) + " with project " + ProjectInfo.version());
        if (!info.metrics.isEmpty()) {
            b.append("\n## Training metrics at the last step\n\n| metric | value |\n| --- | ---: |\n");
            for (Map.Entry<String, Double> e : info.metrics.entrySet()) {
                b.append("| ").append(e.getKey()).append(" | ").append(String.format(Locale.ROOT, "%.4g", e.getValue())).append(" |\n");
            }
        }
        List<String> tables = new ArrayList<>();
        for (Path p : evalTables) tables.add(Files.readString(p).strip());
        if (!tables.isEmpty()) {
            b.append("\n## Evaluation\n\n");
            for (String s : tables) b.append(s).append("\n\n");
        }
        b.append("\n## Config\n\n```json\n").append(info.config.toJson()).append("\n```\n");
        // The config and the evaluation tables name the training machine's folders: shown relative or by name.
        return ShownPaths.redact(b.toString());
    }

    /** A data path as a card may show it ({@link ShownPaths#shown}); "not recorded" when absent. */
    static String shownPath(String path) {
        return path == null ? "not recorded" : ShownPaths.shown(path);
    }

    /** The run's held-out history as a Markdown table, every logged row, with the curve images beside the model. */
    static String heldOutSection(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        StringBuilder b = new StringBuilder("\n## Held-out scores during training\n\n");
        b.append("Every `train.evalEvery` steps on the config's held-out clips (`heldout.csv` of the run; SSIM as in `docs/eval.md`):"
                + " reconstruction against copying the first frame, best-of-N and mean-of-N of samples conditioned on frame 1,"
                + " diversity (div-1-ssim, not LPIPS) and the posterior's KL. The weights are those of the best reconstruction."
                + " Curves: `heldout.png`, `losses.png`.\n\n");
        if (lines.isEmpty()) return b.toString();
        String[] header = lines.get(0).split(",", -1);
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.length; i++) b.append(" ---: |");
        b.append("\n");
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            b.append("| ").append(String.join(" | ", line.split(",", -1))).append(" |\n");
        }
        return b.toString();
    }

    /** Bundled model names with their header and card file (null when the card is only in the jar or missing). */
    public record Listed(String name, CheckpointInfo info, Path card) {}

    /** Every bundled model with its provenance (from the model file's header). */
    public static List<Listed> list() {
        List<Listed> out = new ArrayList<>();
        for (String n : BundledModels.names()) {
            Path f = BundledModels.workingTreeFile(n);
            CheckpointInfo info;
            if (f != null) {
                info = Checkpoint.readInfo(f);
            } else {
                try {
                    Path tmp = BundledModels.copyToTemp(BundledModels.resource(n));
                    try {
                        info = Checkpoint.readInfo(tmp);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            Path card = f == null ? null : f.resolveSibling(CARD);
            out.add(new Listed(n, info, card != null && Files.isRegularFile(card) ? card : null));
        }
        return out;
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(String.valueOf(v).replace("|", "\\|")).append(" |\n");
    }
}
