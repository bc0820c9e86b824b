package org.dualmtgan.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.ModelConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Human-readable facts about a checkpoint (for {@code dualmtgan model info}) and its inference export. */
public final class ModelSummary {
    private ModelSummary() {}

    /** A checkpoint file as given, or the latest checkpoint of a run folder. */
    public static Path resolve(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path latest = RunFolder.latestCheckpoint(path);
            if (latest == null) throw new InvalidInputException(path, "run folder holds no checkpoint (checkpoints/step-*.ckpt)");
            return latest;
        }
        if (!Files.exists(path)) throw new InvalidInputException(path, "checkpoint not found");
        return path;
    }

    /** The header as indented JSON. */
    public static String json(CheckpointInfo info) {
        try {
            return Checkpoint.HEADER_JSON.writeValueAsString(info) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Provenance, config summary and parameter counts, one fact a line. */
    public static String describe(Path file, CheckpointInfo info) {
        StringBuilder sb = new StringBuilder();
        TrainConfig cfg = info.config;
        ModelConfig m = cfg.model;
        long bytes = -1;
        try {
            bytes = Files.size(file);
        } catch (IOException ignored) {
            // Size is informative only.
        }
        line(sb, "checkpoint", file + (bytes >= 0 ? String.format(Locale.ROOT, " (%.1f MB)", bytes / 1e6) : ""));
        line(sb, "kind", info.kind + ", format " + info.formatVersion + ", " + info.storage + ", sections " + info.sections);
        line(sb, "name", cfg.name);
        line(sb, "step", info.step + (cfg.train != null ? " of " + cfg.train.steps : ""));
        line(sb, "seed", Long.toString(info.seed));
        line(sb, "wall time", duration(info.wallSeconds));
        line(sb, "created", info.created + " by dualmtgan " + info.projectVersion);
        line(sb, "machine", info.machine + ", device " + info.device);
        line(sb, "data", (cfg.data != null ? cfg.data.path + " (layout " + cfg.data.layout + ", split " + cfg.data.split.rule + ")" : "?"));
        line(sb, "data fingerprint", info.dataFingerprint);
        line(sb, "model", String.format(Locale.ROOT, "%dx%d px, %d frames, width %d, content %d, motion latent %d, motion code %d, %s decoder, spectral norm %s",
                m.size, m.size, m.frames, m.width, m.contentDim, m.motionDim, m.motionCodeDim, m.decoder, m.spectralNorm ? "on" : "off"));
        line(sb, "loss weights", String.format(Locale.ROOT, "rec %s, C %s, M %s, KL %s, I %s, V %s, latent %s; adversarial warm-up %d + ramp %d steps",
                num(m.lambdaRec), num(m.lambdaC), num(m.lambdaM), num(m.lambdaKL), num(m.lambdaI), num(m.lambdaV), num(m.lambdaLatent),
                m.warmupSteps, m.rampSteps));
        line(sb, "optimizer", String.format(Locale.ROOT, "Adam lr %s, betas (%s, %s)", num(m.lr), num(m.beta1), num(m.beta2))
                + (info.optimizerSteps.isEmpty() ? "" : "; updates " + info.optimizerSteps));
        if (cfg.train != null) {
            line(sb, "training", String.format(Locale.ROOT, "batch %d, checkpoint every %d, samples every %d",
                    cfg.train.batch, cfg.train.checkpointEvery, cfg.train.sampleEvery));
        }
        long generator = 0;
        long discriminator = 0;
        StringBuilder counts = new StringBuilder();
        for (Map.Entry<String, Long> e : info.parameterCounts.entrySet()) {
            if (counts.length() > 0) counts.append(", ");
            counts.append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%,d", e.getValue()));
            if (e.getKey().startsWith("D_")) discriminator += e.getValue();
            else generator += e.getValue();
        }
        line(sb, "parameters", counts.toString());
        line(sb, "parameter totals", String.format(Locale.ROOT, "generator side %,d, discriminator side %,d", generator, discriminator));
        if (info.metrics.isEmpty()) {
            line(sb, "metrics", "(none yet)");
        } else {
            StringBuilder ms = new StringBuilder();
            for (Map.Entry<String, Double> e : info.metrics.entrySet()) {
                if (ms.length() > 0) ms.append(", ");
                ms.append(e.getKey()).append(' ').append(num(e.getValue()));
            }
            line(sb, "metrics", ms.toString());
        }
        return sb.toString();
    }

    /**
     * Writes the networks used at inference (the generator side: E_C, E_M, R, G) of a training
     * checkpoint to {@code to}; {@code float16} halves the size.
     */
    public static void exportInference(Path from, Path to, boolean float16) throws IOException {
        CheckpointInfo info = Checkpoint.readInfo(from);
        Set<String> generatorSide;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             DualMtgan model = DualMtgan.create(info.config.model, manager, 0)) {
            generatorSide = Set.copyOf(model.parameters(DualMtgan.Side.GENERATOR).keySet());
        }
        Checkpoint.exportInference(from, to, float16, generatorSide::contains);
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-17s %s%n", key + ":", value == null ? "?" : value));
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e");
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d (%.1f s)", s / 3600, (s / 60) % 60, s % 60, seconds);
    }
}
