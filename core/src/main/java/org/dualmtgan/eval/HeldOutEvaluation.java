package org.dualmtgan.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.Video;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.Losses;
import org.dualmtgan.run.TrainConfig;
import org.dualmtgan.train.HeldOut;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out evaluation of a training run ({@link HeldOut}): on the test subset of the config's
 * split (the same clips every time), through the project's own protocols ({@link Evaluation}):
 * reconstruction SSIM against copying the first frame, the moving-pixel ratio, transfer through the
 * latent, best-of-N and mean-of-N SSIM of stochastic samples conditioned on frame 1, their
 * diversity (div-1-ssim), and the KL of E_M's posterior on those clips, in total and per latent
 * dimension. Training finds it as a service ({@link Provider}).
 */
public final class HeldOutEvaluation implements HeldOut {
    /** The service training uses to make this evaluation without depending on this package. */
    public static final class Provider implements HeldOut.Factory {
        @Override
        public HeldOut create(TrainConfig cfg) {
            return of(cfg);
        }
    }

    private final List<EvalData.Clip> clips;
    private final int samples;
    private final long seed;

    private HeldOutEvaluation(List<EvalData.Clip> clips, int samples, long seed) {
        this.clips = clips;
        this.samples = samples;
        this.seed = seed;
    }

    /**
     * The clips of {@code cfg}'s held-out subset as {@code train.eval*} says (evalFrames frames at
     * the data's stride, up to evalClips of them, evalPerVideo per video).
     */
    public static HeldOutEvaluation of(TrainConfig cfg) {
        EvalData.Selection s = new EvalData.Selection();
        s.frames = cfg.train.evalFrames > 0 ? cfg.train.evalFrames : cfg.model.frames;
        s.stride = Math.max(1, cfg.data.stride);
        s.clips = cfg.train.evalClips;
        s.perVideo = cfg.train.evalPerVideo;
        if (cfg.train.evalData != null) s.data = java.nio.file.Path.of(cfg.train.evalData);
        EvalData.Clips c = EvalData.clips(s, cfg, cfg.model.size, cfg.model.frames);
        return new HeldOutEvaluation(c.clips(), cfg.train.evalSamples, cfg.train.seed);
    }

    @Override
    public int clips() {
        return clips.size();
    }

    @Override
    public Scores run(DualMtgan model) {
        Animator view = Animator.view(model, null);
        Evaluation.Options o = new Evaluation.Options();
        o.samples = samples;
        o.seed = seed;
        o.maxPairs = 45;
        EvalResult rec = Evaluation.reconstruction(view, clips, o);
        EvalResult sto = Evaluation.stochastic(view, clips, o);
        Map<String, Float> row = new LinkedHashMap<>();
        row.put(REC, (float) rec.summary(Evaluation.MODEL, EvalResult.SSIM).mean());
        row.put(COPY, (float) rec.summary(Evaluation.STATIC, EvalResult.SSIM).mean());
        row.put(MOVING, (float) Evaluation.movingRatio(rec));
        row.put(LATENT, (float) rec.summary(Evaluation.LATENT, EvalResult.SSIM).mean());
        row.put(BEST, (float) sto.summary(Evaluation.MODEL, EvalResult.SSIM_BEST).mean());
        row.put(MEAN, (float) sto.summary(Evaluation.MODEL, EvalResult.SSIM_MEAN).mean());
        row.put(DIV, (float) sto.summary(Evaluation.MODEL, Diversity.DIV_1_SSIM).mean());
        double[] perDim = klPerDimension(model);
        double total = 0;
        int active = 0;
        for (double d : perDim) {
            total += d;
            if (d > ACTIVE_NATS) active++;
        }
        row.put(KL, (float) total);
        row.put(ACTIVE, (float) active);
        Map<String, Float> dims = new LinkedHashMap<>();
        for (int i = 0; i < perDim.length; i++) dims.put("kl_" + i, (float) perDim[i]);
        return new Scores(row, dims);
    }

    /** KL(q(z|V) || N(0, I)) per latent dimension, averaged over the held-out clips (windows of T frames). */
    private double[] klPerDimension(DualMtgan model) {
        int t = model.config().frames;
        int dim = model.latentDim();
        double[] out = new double[dim];
        try (NDManager scope = model.manager().newSubManager()) {
            List<NDArray> windows = new ArrayList<>();
            for (EvalData.Clip c : clips) {
                Video v = c.video();
                if (v.frames() < t) continue;
                windows.add(v.slice(0, t).toNDArray(scope).expandDims(0));
            }
            if (windows.isEmpty()) return out;
            NDArray batch = ai.djl.ndarray.NDArrays.concat(new NDList(windows), 0);
            NDArray q = model.encodePosterior(batch);
            NDArray mu = q.get(":, :" + dim);
            NDArray logvar = q.get(":, " + dim + ":");
            float[] kl = Losses.klPerDimension(mu, logvar).toFloatArray();
            for (int i = 0; i < dim; i++) out[i] = kl[i];
        }
        return out;
    }
}
