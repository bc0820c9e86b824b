package org.dualmtgan.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of one evaluation: per clip and method every metric, per method the SSIM of each
 * scored frame, and the facts a reader needs (protocol, model, data, seed, scored frames). Rows of
 * the table are methods (the model and its baselines, or ablation variants) in insertion order;
 * columns are metrics in {@link #metrics} order. {@link EvalReport} writes it.
 */
public final class EvalResult implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    // Column names.
    public static final String SSIM = "ssim";
    public static final String PSNR = "psnr";
    public static final String L1 = "l1";
    public static final String KP_ERR = "kp-err-px";
    /** L1 over the truth's moving pixels ({@link Metrics#movingL1}); the moving ratio divides the model's mean by the copy's. */
    public static final String MOVING_L1 = "moving-l1";
    public static final String SSIM_BEST = "ssim-best";
    public static final String SSIM_MEAN = "ssim-mean";
    public static final String PSNR_BEST = "psnr-best";

    /** One clip's scores under one method. */
    public record ClipScore(String clip, String method, Map<String, Double> values) implements java.io.Serializable {}

    /** Mean, standard deviation (n - 1 in the denominator; 0 for one clip) and count over clips. */
    public record Summary(double mean, double std, int n) {}

    public final String protocol;
    /** The page title; by default "Evaluation: PROTOCOL". */
    public String title;
    public final List<String> metrics;
    public final List<String> methods = new ArrayList<>();
    /** Method to a description shown under the table. */
    public final Map<String, String> descriptions = new LinkedHashMap<>();
    public final List<ClipScore> scores = new ArrayList<>();
    /** Curve label to the per-clip SSIM of each scored frame. */
    public final Map<String, List<double[]>> ssimCurves = new LinkedHashMap<>();
    /** Facts shown above the table and stored in the JSON (insertion order). */
    public final Map<String, Object> meta = new LinkedHashMap<>();
    /** Sentences shown under the table. */
    public final List<String> notes = new ArrayList<>();
    /** Index (within the evaluated clip) of the first scored frame, for the per-frame plot's x axis. */
    public int firstScoredFrame;

    public EvalResult(String protocol, List<String> metrics) {
        this.protocol = protocol;
        this.title = "Evaluation: " + protocol;
        this.metrics = List.copyOf(metrics);
    }

    /** Declares a row (idempotent). */
    public void method(String name, String description) {
        if (!methods.contains(name)) methods.add(name);
        descriptions.putIfAbsent(name, description);
    }

    public void add(String clip, String method, Map<String, Double> values) {
        if (!methods.contains(method)) methods.add(method);
        scores.add(new ClipScore(clip, method, new LinkedHashMap<>(values)));
    }

    public void curve(String label, double[] perFrame) {
        ssimCurves.computeIfAbsent(label, k -> new ArrayList<>()).add(perFrame.clone());
    }

    /**
     * Appends the clip scores and curves of {@code part}, a result of the same protocol scored apart
     * (another process or machine): merging the parts in clip order gives the result of scoring
     * every clip here.
     */
    public void merge(EvalResult part) {
        if (!part.protocol.equals(protocol) || !part.metrics.equals(metrics)) {
            throw new IllegalArgumentException("cannot merge a " + part.protocol + " result " + part.metrics + " into " + protocol + " " + metrics);
        }
        for (String m : part.methods) if (!methods.contains(m)) methods.add(m);
        scores.addAll(part.scores);
        part.ssimCurves.forEach((label, curves) -> ssimCurves.computeIfAbsent(label, k -> new ArrayList<>()).addAll(curves));
    }

    /** Mean +- std over clips of {@code metric} for {@code method}; n = 0 when it has no such score. */
    public Summary summary(String method, String metric) {
        List<Double> v = new ArrayList<>();
        for (ClipScore s : scores) {
            if (!s.method().equals(method)) continue;
            Double x = s.values().get(metric);
            if (x != null && !Double.isNaN(x)) v.add(x);
        }
        if (v.isEmpty()) return new Summary(Double.NaN, Double.NaN, 0);
        double mean = 0;
        for (double x : v) mean += x;
        mean /= v.size();
        if (Double.isInfinite(mean)) return new Summary(mean, Double.NaN, v.size());
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double std = v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0;
        return new Summary(mean, std, v.size());
    }

    /** The mean over clips of a curve, frame by frame. */
    public double[] meanCurve(String label) {
        List<double[]> curves = ssimCurves.get(label);
        if (curves == null || curves.isEmpty()) return new double[0];
        double[] out = new double[curves.get(0).length];
        for (double[] c : curves) for (int i = 0; i < out.length; i++) out[i] += c[i];
        for (int i = 0; i < out.length; i++) out[i] /= curves.size();
        return out;
    }

    /** Distinct clip ids in order of first appearance. */
    public List<String> clips() {
        List<String> out = new ArrayList<>();
        for (ClipScore s : scores) if (!out.contains(s.clip())) out.add(s.clip());
        return out;
    }
}
