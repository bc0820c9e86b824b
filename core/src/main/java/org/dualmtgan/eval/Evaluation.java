package org.dualmtgan.eval;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.Video;
import org.dualmtgan.run.TrainConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The evaluation protocols of METHOD.md, each scoring the model next to baselines that show what a
 * number means. The model is used only through {@link Animator}.
 * <ul>
 *   <li>{@link #stochastic}: condition on the first {@code k} frames, draw N samples, best-of-N and
 *       mean-of-N SSIM over the predicted frames, diversity (SVG's protocol, the paper's BAIR table);</li>
 *   <li>{@link #transfer}: synthetic clips with ground truth {@code render(content_y, motion_V)}:
 *       SSIM, PSNR, L1 and keypoint error;</li>
 *   <li>{@link #reconstruction}: self-transfer of held-out clips.</li>
 * </ul>
 * Everything is a pure function of the model, the clips and the seed.
 */
public final class Evaluation {
    public static final String STOCHASTIC = "stochastic";
    public static final String TRANSFER = "transfer";
    public static final String RECONSTRUCTION = "reconstruction";
    public static final List<String> PROTOCOLS = List.of(STOCHASTIC, TRANSFER, RECONSTRUCTION);

    /** Row names. */
    public static final String MODEL = "model";
    public static final String STATIC = "static";
    /** Reconstruction through the motion space: the clip rendered from R(mu(E_M(V))), conditioned on its first frame. */
    public static final String LATENT = "latent";
    public static final String CONTENT_ONLY = "content-only";
    public static final String MOTION_ONLY = "motion-only";
    public static final String GROUND_TRUTH = "ground-truth";
    /** Columns present only with user-supplied LPIPS weights. */
    public static final String LPIPS = "lpips";
    public static final String DIV_LPIPS = "div-lpips";

    public static final String SSIM_DEFINITION = "SSIM on frames in [0, 1], data range 1, Gaussian window 11x11, sigma 1.5, "
            + "K1 0.01, K2 0.03, valid windows only, mean over channels, pixels and scored frames. "
            + "PSNR from the MSE over the scored frames (range 1). L1 = mean absolute difference on [0, 1].";
    public static final String NOT_LPIPS = "div-1-ssim (mean pairwise 1 - SSIM) and div-l1 (mean pairwise L1) measure diversity "
            + "among samples; they are NOT LPIPS, which needs pretrained weights this project does not have.";

    /** How to run a protocol. */
    public static final class Options {
        /** Samples per clip (stochastic). The paper draws 100. */
        public int samples = 100;
        /** Conditioning frames k (stochastic). */
        public int cond = 1;
        /** Seed of every random draw (motion samples, diversity pairs, transfer pairing). */
        public long seed = 0;
        /** Most sample pairs per clip for the diversity measures (all pairs when there are fewer). */
        public int maxPairs = 200;
        /** Receives a line per clip; may be null. */
        public Consumer<String> progress;
        /** LPIPS with user-supplied weights, or null (then no LPIPS column). */
        public Lpips lpips;

        void say(String line) {
            if (progress != null) progress.accept(line);
        }
    }

    private Evaluation() {}

    /**
     * Runs {@code protocol} on the clips {@code selection} names (see {@link EvalData}) and records
     * the facts of the run (model, data and its fingerprint, clips, frames, stride, seed). The same
     * as {@link #plan}, {@link #begin}, {@link #score} for every item in order, and {@link #finish}:
     * the steps a distributed evaluation runs apart (items scored elsewhere, merged in order).
     */
    public static EvalResult run(String protocol, Animator model, EvalData.Selection selection, Options o) {
        Plan plan = plan(protocol, model, selection, o);
        EvalResult r = begin(plan.protocol(), o);
        for (Item item : plan.items()) score(item, model, o, r);
        return finish(plan, model, o, r);
    }

    /** One clip (stochastic, reconstruction) or one case (transfer) of a plan, with its place in it. */
    public record Item(String protocol, int index, int total, EvalData.Clip clip, EvalData.TransferCase transferCase)
            implements java.io.Serializable {}

    /** What a protocol scores (the clips, read and prepared) and the facts of the data. */
    public record Plan(String protocol, List<Item> items, Map<String, Object> meta) {}

    /** Reads the clips (or transfer cases) {@code selection} names for {@code protocol}. */
    public static Plan plan(String protocol, Animator model, EvalData.Selection selection, Options o) {
        TrainConfig trained = model.info() == null ? null : model.info().config;
        int frames = EvalData.frames(selection, model.clipLength());
        int stride = EvalData.stride(selection, trained);
        String source;
        String fingerprint;
        int skipped;
        List<Item> items = new ArrayList<>();
        switch (protocol) {
            case STOCHASTIC, RECONSTRUCTION -> {
                checkOptions(protocol, o);
                EvalData.Clips clips = EvalData.clips(selection, trained, model.size(), model.clipLength());
                List<EvalData.Clip> list = clips.clips();
                for (int i = 0; i < list.size(); i++) items.add(new Item(protocol, i, list.size(), list.get(i), null));
                source = clips.source();
                fingerprint = clips.fingerprint();
                skipped = clips.skipped();
            }
            case TRANSFER -> {
                EvalData.TransferSet set = EvalData.transferCases(selection, trained, model.size(), model.clipLength(), o.seed);
                List<EvalData.TransferCase> list = set.cases();
                for (int i = 0; i < list.size(); i++) items.add(new Item(protocol, i, list.size(), null, list.get(i)));
                source = set.source() + " (synthetic " + set.domain() + ")";
                fingerprint = set.fingerprint();
                skipped = set.skipped();
            }
            default -> throw new InvalidInputException("unknown protocol '" + protocol + "' (expected " + String.join(", ", PROTOCOLS) + ")");
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("model", model.source() != null ? model.source().toString() : "(in memory)");
        if (trained != null && trained.name != null) meta.put("model name", trained.name);
        if (model.info() != null) meta.put("model steps", model.info().step);
        meta.put("data", source);
        meta.put("data fingerprint", fingerprint);
        meta.put("clips", items.size());
        meta.put("too short, skipped", skipped);
        meta.put("frames per clip", frames);
        meta.put("stride", stride);
        meta.put("size", model.size() + "x" + model.size());
        meta.put("seed", o.seed);
        return new Plan(protocol, items, meta);
    }

    /** An empty result of {@code protocol}: its columns, rows and scored frames, before any clip. */
    public static EvalResult begin(String protocol, Options o) {
        checkOptions(protocol, o);
        EvalResult r;
        switch (protocol) {
            case STOCHASTIC -> {
                List<String> columns = new ArrayList<>(List.of(EvalResult.SSIM_BEST, EvalResult.SSIM_MEAN, EvalResult.PSNR_BEST,
                        Diversity.DIV_1_SSIM, Diversity.DIV_L1));
                if (o.lpips != null) columns.add(DIV_LPIPS);
                r = new EvalResult(STOCHASTIC, columns);
                r.method(MODEL, "the model: best of " + o.samples + " samples (ssim-best, psnr-best) and their mean (ssim-mean)");
                r.method(STATIC, "static baseline: the last conditioning frame copied to every frame (one 'sample')");
                r.firstScoredFrame = o.cond;
            }
            case RECONSTRUCTION -> {
                r = new EvalResult(RECONSTRUCTION, withLpips(List.of(EvalResult.SSIM, EvalResult.PSNR, EvalResult.L1, EvalResult.MOVING_L1), o));
                r.method(MODEL, "the model's reconstruction: transfer(x^1, V)");
                r.method(LATENT, "transfer through the latent: G(x^1, R(mu(E_M(V)))), the clip's motion encoded into z and decoded by R");
                r.method(STATIC, "static baseline: the first frame copied to every frame");
                r.firstScoredFrame = 1;
            }
            case TRANSFER -> {
                r = new EvalResult(TRANSFER, withLpips(List.of(EvalResult.SSIM, EvalResult.PSNR, EvalResult.L1, EvalResult.MOVING_L1, EvalResult.KP_ERR), o));
                r.method(MODEL, "the model: transfer(y, V)");
                r.method(STATIC, "static: the truth's first frame copied (right content and start pose, no motion)");
                r.method(CONTENT_ONLY, "content only: the target image y copied to every frame");
                r.method(MOTION_ONLY, "motion only: the driving video V copied (right motion, wrong content)");
                r.method(GROUND_TRUTH, "the ground truth render(content_y, motion_V) itself: kp-err-px is the tracker's own error");
                r.firstScoredFrame = 0;
            }
            default -> throw new InvalidInputException("unknown protocol '" + protocol + "' (expected " + String.join(", ", PROTOCOLS) + ")");
        }
        return r;
    }

    /** Scores one item of a plan into {@code r} (a result {@link #begin} made for its protocol). */
    public static void score(Item item, Animator model, Options o, EvalResult r) {
        switch (item.protocol()) {
            case STOCHASTIC -> stochasticClip(model, item.clip(), item.index(), item.total(), o, r);
            case RECONSTRUCTION -> reconstructionClip(model, item.clip(), item.index(), item.total(), o, r);
            case TRANSFER -> transferCase(model, item.transferCase(), item.index(), item.total(), o, r);
            default -> throw new IllegalArgumentException("unknown protocol " + item.protocol());
        }
    }

    /** Adds the protocol's facts and notes, and the plan's, to {@code r} (after every item). */
    public static EvalResult finish(Plan plan, Animator model, Options o, EvalResult r) {
        finishProtocol(plan.protocol(), model.size(), o, r);
        Map<String, Object> meta = new LinkedHashMap<>(plan.meta());
        meta.putAll(r.meta);
        r.meta.clear();
        r.meta.putAll(meta);
        return r;
    }

    private static void checkOptions(String protocol, Options o) {
        if (!protocol.equals(STOCHASTIC)) return;
        if (o.samples < 1) throw new InvalidInputException("--samples must be >= 1, got " + o.samples);
        if (o.cond < 1) throw new InvalidInputException("--cond must be >= 1, got " + o.cond);
        if (o.maxPairs < 1) throw new InvalidInputException("diversity needs at least one pair per clip");
    }

    private static void finishProtocol(String protocol, int size, Options o, EvalResult r) {
        switch (protocol) {
            case STOCHASTIC -> {
                r.meta.put("samples", o.samples);
                r.meta.put("conditioning frames", o.cond);
                r.meta.put("diversity pairs per clip", Math.min(o.maxPairs, (long) o.samples * (o.samples - 1) / 2));
                r.notes.add(NOT_LPIPS);
                if (o.lpips != null) r.notes.add("div-lpips: mean pairwise LPIPS (v0.1, AlexNet) with the weights given by --lpips.");
                r.notes.add("Scored frames: " + o.cond + "..T-1 (after the conditioning frames). ssim-best: per clip the sample with the"
                        + " highest mean SSIM over those frames; psnr-best: the highest PSNR over samples (may be another sample).");
            }
            case RECONSTRUCTION -> {
                r.notes.add("Scored frames: 1..T-1 (frame 0 is the given image).");
                r.notes.add(movingNote(r));
            }
            case TRANSFER -> {
                KeypointTracker tracker = KeypointTracker.forSize(size);
                r.meta.put("keypoint tracker", "NCC template tracking, patch " + (2 * tracker.patchRadius() + 1) + " px, search +-"
                        + tracker.searchRadius() + " px per frame");
                r.notes.add("Scored frames: all T (nothing of the truth is given). kp-err-px: mean distance in pixels at the model's size"
                        + " between tracked and true keypoints over frames 1..T-1; the ground-truth row is the tracker's own error, a floor"
                        + " no method can be expected to beat.");
                r.notes.add("Pairs: content of clip i with the motion of clip perm(i), perm a seeded derangement; truth = render(content_i, motion_perm(i)).");
            }
            default -> throw new IllegalArgumentException("unknown protocol " + protocol);
        }
    }

    /** The seed of clip {@code i}: results for a clip do not depend on how many clips follow it. */
    static long clipSeed(long seed, int i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Stochastic generation (SVG's protocol): for each clip, {@code samples} videos generated from
     * its first {@code cond} frames; each scored by its mean SSIM over the predicted frames
     * {@code cond..T-1}. Per clip: {@code ssim-best} (the best sample), {@code ssim-mean} (mean over
     * samples), {@code psnr-best}, and the diversity stand-ins. Curves: the per-frame SSIM of the
     * best sample (chosen by its mean) and the per-frame mean over samples. Baseline: the last
     * conditioning frame copied to every frame (for k = 1, the first frame).
     */
    public static EvalResult stochastic(Animator model, List<EvalData.Clip> clips, Options o) {
        EvalResult r = begin(STOCHASTIC, o);
        for (int i = 0; i < clips.size(); i++) stochasticClip(model, clips.get(i), i, clips.size(), o, r);
        finishProtocol(STOCHASTIC, model.size(), o, r);
        return r;
    }

    private static void stochasticClip(Animator model, EvalData.Clip c, int i, int n, Options o, EvalResult r) {
        Video v = c.video();
        int t = v.frames();
        if (t <= o.cond) {
            throw new InvalidInputException("clips of " + t + " frames leave nothing to predict after " + o.cond + " conditioning frames");
        }
        Video truth = v.slice(o.cond, t);
        long seed = clipSeed(o.seed, i);
        List<Video> samples = model.generate(v.slice(0, o.cond), o.samples, seed, t);
        List<Video> predicted = new ArrayList<>(samples.size());
        for (Video s : samples) predicted.add(s.slice(o.cond, t));
        double best = Double.NEGATIVE_INFINITY, sum = 0, bestPsnr = Double.NEGATIVE_INFINITY;
        double[] bestCurve = null;
        double[] meanCurve = new double[t - o.cond];
        for (Video p : predicted) {
            double[] f = Metrics.ssimPerFrame(p, truth);
            double m = Metrics.mean(f);
            sum += m;
            for (int k = 0; k < f.length; k++) meanCurve[k] += f[k] / predicted.size();
            if (m > best) {
                best = m;
                bestCurve = f;
            }
            bestPsnr = Math.max(bestPsnr, Metrics.psnr(p, truth));
        }
        List<int[]> pairs = Diversity.pairs(predicted.size(), o.maxPairs, seed);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(EvalResult.SSIM_BEST, best);
        m.put(EvalResult.SSIM_MEAN, sum / predicted.size());
        m.put(EvalResult.PSNR_BEST, bestPsnr);
        m.put(Diversity.DIV_1_SSIM, Diversity.oneMinusSsim(predicted, pairs));
        m.put(Diversity.DIV_L1, Diversity.l1(predicted, pairs));
        if (o.lpips != null) m.put(DIV_LPIPS, o.lpips.meanPairwise(predicted, pairs));
        r.add(c.id(), MODEL, m);
        r.curve(MODEL + " best-of-" + o.samples, bestCurve);
        r.curve(MODEL + " mean-of-" + o.samples, meanCurve);

        Video still = repeat(v.frame(o.cond - 1), t - o.cond);
        double[] sf = Metrics.ssimPerFrame(still, truth);
        double ss = Metrics.mean(sf);
        Map<String, Double> b = new LinkedHashMap<>();
        b.put(EvalResult.SSIM_BEST, ss);
        b.put(EvalResult.SSIM_MEAN, ss);
        b.put(EvalResult.PSNR_BEST, Metrics.psnr(still, truth));
        b.put(Diversity.DIV_1_SSIM, 0.0);
        b.put(Diversity.DIV_L1, 0.0);
        if (o.lpips != null) b.put(DIV_LPIPS, 0.0);
        r.add(c.id(), STATIC, b);
        r.curve(STATIC, sf);
        o.say(String.format(Locale.ROOT, "%d/%d %s: ssim-best %.4f, ssim-mean %.4f, static %.4f", i + 1, n,
                c.id(), best, sum / predicted.size(), ss));
    }

    /**
     * Reconstruction (self-transfer): each clip rebuilt from its first frame and its own motion,
     * scored on frames 1..T-1 (frame 0 is given to every method). Baseline: the first frame
     * copied to every frame.
     */
    public static EvalResult reconstruction(Animator model, List<EvalData.Clip> clips, Options o) {
        EvalResult r = begin(RECONSTRUCTION, o);
        for (int i = 0; i < clips.size(); i++) reconstructionClip(model, clips.get(i), i, clips.size(), o, r);
        finishProtocol(RECONSTRUCTION, model.size(), o, r);
        return r;
    }

    private static void reconstructionClip(Animator model, EvalData.Clip c, int i, int n, Options o, EvalResult r) {
        Video v = c.video();
        int t = v.frames();
        Video truth = v.slice(1, t);
        Video rec = model.reconstruct(v).slice(1, t);
        double ms = score(r, c.id(), MODEL, rec, truth, null, null, o, v.frame(0));
        Video latent = model.sample(v.frame(0), new float[][] {model.encodeMotion(v)}, t).get(0).slice(1, t);
        double ls = score(r, c.id(), LATENT, latent, truth, null, null, o, v.frame(0));
        double ss = score(r, c.id(), STATIC, repeat(v.frame(0), t - 1), truth, null, null, o, v.frame(0));
        o.say(String.format(Locale.ROOT, "%d/%d %s: ssim %.4f, latent %.4f, static %.4f", i + 1, n, c.id(), ms, ls, ss));
    }

    /**
     * Deterministic transfer on synthetic clips with ground truth, scored on all T frames (none of
     * the truth is given). Rows: the model, {@code static} (the truth's first frame copied: right
     * content and start pose, no motion), {@code content-only} (the target image copied),
     * {@code motion-only} (the driving video copied: right motion, wrong content) and
     * {@code ground-truth} (the truth itself: SSIM 1, and the keypoint tracker's own error).
     * Keypoint error: mean distance in pixels (at the model's size) between the keypoints the
     * {@link KeypointTracker} finds in a result, started from the truth's frame-0 keypoints, and
     * the truth's keypoints, over frames 1..T-1.
     */
    public static EvalResult transfer(Animator model, List<EvalData.TransferCase> cases, Options o) {
        EvalResult r = begin(TRANSFER, o);
        for (int i = 0; i < cases.size(); i++) transferCase(model, cases.get(i), i, cases.size(), o, r);
        finishProtocol(TRANSFER, model.size(), o, r);
        return r;
    }

    private static void transferCase(Animator model, EvalData.TransferCase c, int i, int n, Options o, EvalResult r) {
        KeypointTracker tracker = KeypointTracker.forSize(model.size());
        int t = c.truth().frames();
        Video out = model.transfer(c.image(), c.driving());
        double ms = score(r, c.id(), MODEL, out, c.truth(), tracker, c.keypoints(), o, c.truth().frame(0));
        score(r, c.id(), STATIC, repeat(c.truth().frame(0), t), c.truth(), tracker, c.keypoints(), o, c.truth().frame(0));
        double cs = score(r, c.id(), CONTENT_ONLY, repeat(c.image(), t), c.truth(), tracker, c.keypoints(), o, c.truth().frame(0));
        score(r, c.id(), MOTION_ONLY, c.driving(), c.truth(), tracker, c.keypoints(), o, c.truth().frame(0));
        score(r, c.id(), GROUND_TRUTH, c.truth(), c.truth(), tracker, c.keypoints(), o, c.truth().frame(0));
        o.say(String.format(Locale.ROOT, "%d/%d %s: ssim %.4f, content-only %.4f", i + 1, n, c.id(), ms, cs));
    }

    /** Scores {@code out} against {@code truth} into {@code r}; returns its SSIM. */
    private static double score(EvalResult r, String clip, String method, Video out, Video truth,
                                KeypointTracker tracker, double[][][] keypoints, Options o, Video first) {
        double[] f = Metrics.ssimPerFrame(out, truth);
        Map<String, Double> m = new LinkedHashMap<>();
        double ssim = Metrics.mean(f);
        m.put(EvalResult.SSIM, ssim);
        m.put(EvalResult.PSNR, Metrics.psnr(out, truth));
        m.put(EvalResult.L1, Metrics.l1(out, truth));
        if (first != null) m.put(EvalResult.MOVING_L1, Metrics.movingL1(out, truth, first));
        if (o.lpips != null) m.put(LPIPS, o.lpips.distance(out, truth));
        if (tracker != null) m.put(EvalResult.KP_ERR, KeypointTracker.meanError(tracker.track(out, keypoints[0]), keypoints, 1));
        r.add(clip, method, m);
        r.curve(method, f);
        return ssim;
    }

    /** The moving-pixel ratio of a reconstruction or transfer result, as a note. */
    static String movingNote(EvalResult r) {
        return String.format(Locale.ROOT, "moving-l1: L1 over the pixels whose true change from frame 0 exceeds %.1f of the range "
                + "(largest over RGB); moving ratio, model / static: %.3f", Metrics.MOVING_THRESHOLD, movingRatio(r));
    }

    /** Mean moving-l1 of the model over that of the static copy (the fading check: about 0.7 fades, well under 0.5 moves). */
    public static double movingRatio(EvalResult r) {
        return r.summary(MODEL, EvalResult.MOVING_L1).mean() / r.summary(STATIC, EvalResult.MOVING_L1).mean();
    }

    private static List<String> withLpips(List<String> columns, Options o) {
        if (o.lpips == null) return columns;
        List<String> out = new ArrayList<>(columns);
        out.add(LPIPS);
        return out;
    }

    static Video repeat(Video frame, int n) {
        return Video.concat(Collections.nCopies(n, frame.frame(0)));
    }
}
