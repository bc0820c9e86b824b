package org.dualmtgan.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.data.ClipSampler;
import org.dualmtgan.data.DataConfig;
import org.dualmtgan.data.Dataset;
import org.dualmtgan.data.Datasets;
import org.dualmtgan.data.Subset;
import org.dualmtgan.media.Video;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.KeypointEncoder;
import org.dualmtgan.model.Losses;
import org.dualmtgan.model.NonFiniteLossException;
import org.dualmtgan.model.TrajectoryStep;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.run.RunFolder;
import org.dualmtgan.run.TrainConfig;
import org.dualmtgan.run.TrainSettings;
import org.dualmtgan.util.ProjectInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The second training stage of keypoint motion: the motion prior (E_M's trajectory posterior and
 * R) fitted on the keypoint trajectories of every training clip, with everything else of the model
 * frozen. In the image stage the trajectory VAE trains beside the renderer on {@code train.batch}
 * clips a step, with the keypoints' gradient stopped, so it never shapes the detector or G; here it
 * sees {@code train.motionBatch} windows a step, cut from keypoints detected once per video. A
 * window is T keypoint sets at the data's stride (as {@link ClipSampler} cuts clips).
 * <pre>
 * RUN/checkpoints/motion.ckpt  the source checkpoint with the best-scoring prior (a training checkpoint)
 * RUN/motion.csv               L_traj, L_KL and the held-out scores every train.motionEvalEvery steps
 * RUN/motion.png               their plot
 * RUN/motion-heldout.csv       the image-level held-out scores of motion.ckpt (the columns of heldout.csv)
 * </pre>
 * Held-out scores are on keypoint trajectories of the held-out subset: the L1 of R(mu, kp^1)
 * against the displacements (transfer through the latent), the best and the mean over
 * {@code train.evalSamples} prior draws of that L1, and the KL; motion.ckpt keeps the prior whose
 * sum of the three L1 is lowest.
 */
public final class MotionFit {
    /** File name of the stage's result in RUN/checkpoints. */
    public static final String MOTION = RunFolder.MOTION;
    static final String CSV = "motion.csv";
    static final String HELD_OUT_CSV = "motion-heldout.csv";
    /** Held-out columns of motion.csv. */
    public static final String POSTERIOR_L1 = "heldout_posterior_l1";
    public static final String BEST_L1 = "heldout_best_l1";
    public static final String MEAN_L1 = "heldout_mean_l1";
    public static final String KL = "heldout_kl_nats";
    /** Held-out windows scored at most (evenly spaced over the held-out videos). */
    static final int HELD_OUT_WINDOWS = 256;

    /** What the stage did: the steps, the best held-out score (NaN without held-out data) and the file written. */
    public record Result(long steps, double bestScore, long bestStep, Path checkpoint, double seconds) {}

    private MotionFit() {}

    /**
     * Fits the prior of the model in {@code source} (a training checkpoint) for {@code cfg.train.motionSteps}
     * steps and writes {@code run/checkpoints/motion.ckpt}; see the class comment.
     */
    public static Result run(TrainConfig cfg, Path source, Path run, Device device, TrainingProgress progress) throws IOException {
        TrainSettings t = cfg.train;
        if (!cfg.model.keypointMotion()) {
            throw new InvalidInputException("the motion prior stage (train.motionSteps) needs model.motion = \"keypoints\"");
        }
        if (t.motionSteps < 1) throw new InvalidInputException("train.motionSteps must be >= 1 for the motion prior stage, got " + t.motionSteps);
        if (cfg.model.lambdaTraj <= 0) throw new InvalidInputException("the motion prior stage needs model.lambdaTraj > 0");
        CheckpointInfo info = Checkpoint.readInfo(source);
        if (!CheckpointInfo.KIND_TRAINING.equals(info.kind)) {
            throw new InvalidInputException(source, "is an inference export; the motion prior stage starts from a training checkpoint");
        }
        Dataset train = Datasets.open(cfg.data, Subset.TRAIN);
        Dataset heldOut = heldOutData(cfg);
        Files.createDirectories(run);
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(device);
             DualMtgan model = DualMtgan.create(cfg.model, manager, t.seed)) {
            Map<String, Map<String, NDArray>> optimizers = new LinkedHashMap<>();
            try (Checkpoint ckpt = Checkpoint.load(source, manager)) {
                // A learned prior may be fitted onto a model trained with N(0, I): its head starts from its initialisation.
                Map<String, NDArray> params = new LinkedHashMap<>(ckpt.parameters());
                if (cfg.model.learnedPrior()) {
                    model.allParameters().forEach((k, v) -> {
                        if (KeypointEncoder.isPriorParameter(k) && !params.containsKey(k)) params.put(k, v.duplicate());
                    });
                }
                Checkpoint.requireSameArchitecture(source, params, model.allParameters());
                model.loadParameters(params);
                for (String s : List.of(Checkpoint.GENERATOR_OPTIMIZER, Checkpoint.DISCRIMINATOR_OPTIMIZER)) {
                    if (ckpt.hasSection(s)) optimizers.put(s, copy(ckpt.section(s), manager));
                }
            }
            progress.message("motion prior: detecting keypoints of " + train.size() + " training videos"
                    + (heldOut != null ? " and " + heldOut.size() + " held-out videos" : ""));
            List<float[][]> trainKp = keypoints(model, train, cfg.model.size);
            List<float[][]> heldKp = heldOut == null ? List.of() : keypoints(model, heldOut, cfg.model.size);
            int frames = cfg.model.frames;
            ClipSampler sampler = new ClipSampler(frames, cfg.data.stride, cfg.data.maxStride);
            float[][][] held = heldOut == null ? null : heldOutWindows(heldKp, frames, Math.max(1, cfg.data.stride));
            if (held != null && held.length == 0) held = null;

            TrajectoryStep step = new TrajectoryStep(model, t.seed, t.motionLr);
            Map<String, NDArray> prior = TrajectoryStep.priorParameters(model);
            LossLog log = LossLog.create(run.resolve(CSV));
            double best = Double.POSITIVE_INFINITY;
            long bestStep = 0;
            Map<String, float[]> bestPrior = snapshot(prior);
            int dims = 2 * cfg.model.keypoints;
            for (long k = 0; k < t.motionSteps; k++) {
                Map<String, Float> losses = null;
                for (int attempt = 1; losses == null; attempt++) {
                    try (NDManager scope = manager.newSubManager()) {
                        float[] batch = windows(trainKp, sampler, t.motionBatch, dims, new SplittableRandom(DualMtgan.mix(t.seed, "motion batch " + k)),
                                t.motionShift, t.motionScale);
                        losses = step.step(scope.create(batch, new Shape(t.motionBatch, frames, dims)), k);
                    } catch (NonFiniteLossException e) {
                        // As in the image stage: recomputed, then the stage stops if it repeats.
                        if (attempt < Trainer.GRADIENT_ATTEMPTS) continue;
                        throw new TrainingDivergedException(e.lossName(), k + 1, source, e);
                    }
                }
                long done = k + 1;
                log.accumulate(losses);
                boolean evaluate = done % t.motionEvalEvery == 0 || done == t.motionSteps;
                if (evaluate && held != null) {
                    Map<String, Float> scores = score(model, held, t.evalSamples, t.seed, manager);
                    log.record(scores);
                    double s = scores.get(POSTERIOR_L1) + scores.get(BEST_L1) + scores.get(MEAN_L1);
                    boolean better = s < best;
                    if (better) {
                        best = s;
                        bestStep = done;
                        bestPrior = snapshot(prior);
                    }
                    progress.message(String.format(Locale.ROOT,
                            "motion prior step %d/%d: L_traj %.4f, held-out L1 posterior %.4f, best-of-%d %.4f, mean %.4f, KL %.2f nats%s",
                            done, t.motionSteps, losses.get(Losses.L_TRAJ), scores.get(POSTERIOR_L1), t.evalSamples,
                            scores.get(BEST_L1), scores.get(MEAN_L1), scores.get(KL), better ? "; new best" : ""));
                }
                if (done % t.logEvery == 0 || evaluate) {
                    log.endRow(done, (System.nanoTime() - start) / 1e9);
                    log.flush();
                }
            }
            if (held == null) {
                bestStep = t.motionSteps;
                bestPrior = snapshot(prior);
                best = Double.NaN;
            }
            try {
                log.plot(run.resolve("motion.png"), cfg.name + ": motion prior stage");
            } catch (RuntimeException e) {
                progress.message("warning: motion prior plot failed: " + e);
            }
            restore(prior, bestPrior);
            Path out = run.resolve("checkpoints").resolve(MOTION);
            Files.createDirectories(out.getParent());
            info.created = Instant.now().toString();
            info.projectVersion = ProjectInfo.version();
            info.config = cfg;
            info.motionSteps = bestStep;
            info.wallSeconds += (System.nanoTime() - start) / 1e9;
            Map<String, Map<String, NDArray>> sections = new LinkedHashMap<>();
            sections.put(Checkpoint.PARAMETERS, model.allParameters());
            sections.putAll(optimizers);
            Checkpoint.save(out, info, sections, DataType.FLOAT32);
            progress.message(String.format(Locale.ROOT, "motion prior: %d steps in %.1f s; kept step %d -> %s",
                    t.motionSteps, (System.nanoTime() - start) / 1e9, bestStep, out));
            if (t.evalEvery > 0) imageScores(cfg, model, run, progress);
            return new Result(t.motionSteps, best, bestStep, out, (System.nanoTime() - start) / 1e9);
        }
    }

    /** The image-level held-out scores of the fitted model (heldout.csv's columns) into motion-heldout.csv. */
    private static void imageScores(TrainConfig cfg, DualMtgan model, Path run, TrainingProgress progress) throws IOException {
        HeldOut eval;
        try {
            eval = HeldOut.of(cfg);
        } catch (InvalidInputException e) {
            progress.message("warning: no held-out evaluation of the motion prior (" + e.getMessage() + ")");
            return;
        }
        Map<String, Float> r = eval.run(model).row();
        LossLog log = LossLog.create(run.resolve(HELD_OUT_CSV));
        log.accumulate(r);
        log.endRow(cfg.train.motionSteps, 0);
        log.flush();
        progress.message(String.format(Locale.ROOT,
                "held-out with the fitted prior (%d clips): reconstruction SSIM %.4f (copy %.4f), best-of-%d %.4f, mean %.4f,"
                        + " div-1-ssim %.4f, latent transfer %.4f, KL %.2f nats",
                eval.clips(), r.get(HeldOut.REC), r.get(HeldOut.COPY), cfg.train.evalSamples,
                r.get(HeldOut.BEST), r.get(HeldOut.MEAN), r.get(HeldOut.DIV),
                r.get(HeldOut.LATENT), r.get(HeldOut.KL)));
    }

    /** The split's held-out subset, train.evalData's videos instead when set, or null when there are none. */
    static Dataset heldOutData(TrainConfig cfg) {
        try {
            if (cfg.train.evalData != null) {
                DataConfig d = TrainConfig.JSON.convertValue(cfg.data, DataConfig.class);
                d.path = cfg.train.evalData;
                return Datasets.open(d, Subset.ALL);
            }
            return Datasets.open(cfg.data, Subset.TEST);
        } catch (InvalidInputException e) {
            return null;
        }
    }

    /** Keypoints of every frame of every video: per video (frames, 2K). */
    static List<float[][]> keypoints(DualMtgan model, Dataset data, int size) {
        List<float[][]> out = new ArrayList<>(data.size());
        int dims = 2 * model.config().keypoints;
        for (int i = 0; i < data.size(); i++) {
            Video v = data.video(i, size);
            try (NDManager scope = model.manager().newSubManager()) {
                float[] kp = model.detectKeypoints(v.toNDArray(scope)).toFloatArray();
                float[][] perFrame = new float[v.frames()][dims];
                for (int f = 0; f < v.frames(); f++) System.arraycopy(kp, f * dims, perFrame[f], 0, dims);
                out.add(perFrame);
            }
        }
        return out;
    }

    /**
     * {@code count} windows, flattened (count, T, dims): a video drawn in proportion to its frames,
     * then its frames as {@link ClipSampler} plans them (random start and stride, the last frame held
     * when the video is short).
     */
    static float[] windows(List<float[][]> videos, ClipSampler sampler, int count, int dims, SplittableRandom rng) {
        return windows(videos, sampler, count, dims, rng, 0, 0);
    }

    /**
     * As {@link #windows(List, ClipSampler, int, int, SplittableRandom)}, each window moved by a
     * random offset in [-shift, shift] per axis and scaled about its first keypoints' centroid by a
     * factor in [1 - scale, 1 + scale] (train.motionShift, train.motionScale; no draws when both are 0).
     * Keypoints are (x, y) pairs side by side.
     */
    static float[] windows(List<float[][]> videos, ClipSampler sampler, int count, int dims, SplittableRandom rng,
                           double shift, double scale) {
        float[] out = plainWindows(videos, sampler, count, dims, rng);
        if (shift == 0 && scale == 0) return out;
        int frames = sampler.frames();
        for (int w = 0; w < count; w++) {
            int base = w * frames * dims;
            double dx = shift * (2 * rng.nextDouble() - 1);
            double dy = shift * (2 * rng.nextDouble() - 1);
            double k = 1 + scale * (2 * rng.nextDouble() - 1);
            double cx = 0;
            double cy = 0;
            for (int d = 0; d < dims; d += 2) {
                cx += out[base + d];
                cy += out[base + d + 1];
            }
            cx /= dims / 2.0;
            cy /= dims / 2.0;
            for (int f = 0; f < frames; f++) {
                for (int d = 0; d < dims; d += 2) {
                    int i = base + f * dims + d;
                    out[i] = (float) (cx + k * (out[i] - cx) + dx);
                    out[i + 1] = (float) (cy + k * (out[i + 1] - cy) + dy);
                }
            }
        }
        return out;
    }

    private static float[] plainWindows(List<float[][]> videos, ClipSampler sampler, int count, int dims, SplittableRandom rng) {
        long total = 0;
        for (float[][] v : videos) total += v.length;
        int frames = sampler.frames();
        float[] out = new float[count * frames * dims];
        for (int w = 0; w < count; w++) {
            long pick = rng.nextLong(total);
            int vi = 0;
            while (pick >= videos.get(vi).length) pick -= videos.get(vi++).length;
            float[][] v = videos.get(vi);
            ClipSampler.Plan p = sampler.plan(v.length, rng);
            for (int f = 0; f < frames; f++) {
                int src = p.index(Math.min(f, p.count() - 1));
                System.arraycopy(v[src], 0, out, (w * frames + f) * dims, dims);
            }
        }
        return out;
    }

    /** Held-out windows at a fixed stride, starts every T/2 frames, at most {@link #HELD_OUT_WINDOWS} evenly picked. */
    static float[][][] heldOutWindows(List<float[][]> videos, int frames, int stride) {
        List<float[][]> all = new ArrayList<>();
        int span = (frames - 1) * stride + 1;
        for (float[][] v : videos) {
            for (int s = 0; s + span <= v.length; s += Math.max(1, frames / 2)) {
                float[][] w = new float[frames][];
                for (int f = 0; f < frames; f++) w[f] = v[s + f * stride];
                all.add(w);
            }
        }
        if (all.size() <= HELD_OUT_WINDOWS) return all.toArray(new float[0][][]);
        float[][][] out = new float[HELD_OUT_WINDOWS][][];
        for (int i = 0; i < out.length; i++) out[i] = all.get((int) ((long) i * all.size() / out.length));
        return out;
    }

    /**
     * Held-out scores of the prior: L1 of R(mu, kp^1) against the displacements, the best and the mean
     * over {@code samples} prior draws (fixed by {@code seed}) of that L1 per window, and the mean KL.
     */
    static Map<String, Float> score(DualMtgan model, float[][][] windows, int samples, long seed, NDManager manager) {
        int n = windows.length;
        int frames = windows[0].length;
        int dims = windows[0][0].length;
        int zd = model.latentDim();
        float[] flat = new float[n * frames * dims];
        for (int w = 0; w < n; w++) {
            for (int f = 0; f < frames; f++) System.arraycopy(windows[w][f], 0, flat, (w * frames + f) * dims, dims);
        }
        Map<String, Float> out = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            NDArray traj = scope.create(flat, new Shape(n, frames, dims));
            NDArray first = traj.get(":, 0");
            NDArray disp = traj.sub(first.expandDims(1));
            NDList q = model.trajectoryPosterior(first, disp);
            NDArray mu = q.get(0);
            NDArray logvar = q.get(1);
            out.put(POSTERIOR_L1, perWindowL1(model.decodeTrajectory(mu, first, frames), disp).mean().getFloat());
            SplittableRandom r = new SplittableRandom(DualMtgan.mix(seed, "motion held-out draws"));
            NDArray bestL1 = null;
            NDArray sumL1 = null;
            for (int s = 0; s < samples; s++) {
                float[] z = new float[n * zd];
                for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
                NDArray l1 = perWindowL1(model.decodeTrajectory(scope.create(z, new Shape(n, zd)), first, frames), disp);
                bestL1 = bestL1 == null ? l1 : bestL1.minimum(l1);
                sumL1 = sumL1 == null ? l1 : sumL1.add(l1);
            }
            out.put(BEST_L1, bestL1.mean().getFloat());
            out.put(MEAN_L1, sumL1.div((float) samples).mean().getFloat());
            out.put(KL, Losses.klPerDimension(mu, logvar).sum().getFloat());
        }
        return out;
    }

    private static NDArray perWindowL1(NDArray decoded, NDArray disp) {
        return decoded.sub(disp).abs().reshape(disp.getShape().get(0), -1).mean(new int[] {1});
    }

    private static Map<String, float[]> snapshot(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static void restore(Map<String, NDArray> params, Map<String, float[]> values) {
        params.forEach((k, v) -> v.set(values.get(k)));
    }

    private static Map<String, NDArray> copy(Map<String, NDArray> section, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        section.forEach((k, v) -> out.put(k, v.duplicate()));
        for (NDArray a : out.values()) a.attach(manager);
        return out;
    }
}
