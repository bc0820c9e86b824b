package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * E_M in keypoint mode (ModelConfig.motion = "keypoints"): the per-frame motion code is where the
 * K keypoints are, and the clip's motion latent is a posterior over their trajectory.
 * <ul>
 *   <li>{@link #detect}: frames (N, 3, S, S) -> keypoints (N, K, 2) ({@link KeypointDetector});</li>
 *   <li>{@link #posterior}: a trajectory, as its first keypoints kp^1 (B, 2K) and displacements
 *       d^t = kp^t - kp^1 (B, T, 2K), -> q(z | d, kp^1) = (mu, log sigma^2), each (B, motionDim):
 *       an LSTM over [d^t, kp^1] for t = 2..T whose last state gives the posterior, so any T >= 2
 *       works (few-frame conditioning reads a prefix).</li>
 * </ul>
 * The forward pass is {@link #posterior}'s on (kp^1, d).
 */
public final class KeypointEncoder extends ModelBlock {
    private final int motionDim;
    private final int hidden;
    private final float logvarOffset;
    private final KeypointDetector detector;
    private final Dense input;
    private final LstmCell lstm;
    private final Dense posterior;
    private final Dense priorHidden;
    private final Dense prior;

    public KeypointEncoder(ModelConfig cfg) {
        this.motionDim = cfg.motionDim;
        this.hidden = cfg.trajectoryHidden;
        this.logvarOffset = (float) cfg.logvarOffset;
        detector = addChildBlock("detector", new KeypointDetector(cfg.width, cfg.keypoints));
        input = addChildBlock("input", new Dense(4 * cfg.keypoints, hidden));
        lstm = addChildBlock("lstm", new LstmCell(hidden, hidden));
        posterior = addChildBlock("posterior", new Dense(hidden, 2 * cfg.motionDim));
        if (cfg.learnedPrior()) {
            priorHidden = addChildBlock("priorHidden", new Dense(2 * cfg.keypoints, hidden));
            prior = addChildBlock("prior", new Dense(hidden, 2 * cfg.motionDim));
        } else {
            priorHidden = null;
            prior = null;
        }
    }

    /** Keypoints of frames (N, 3, S, S): (N, K, 2). */
    public NDArray detect(NDArray frames, boolean training) {
        return detector.forward(frames, training);
    }

    /** q(z | displacements, first keypoints): (mu, logvar), each (B, motionDim). */
    public NDList posterior(NDArray first, NDArray displacements, boolean training) {
        return forward(training, first, displacements);
    }

    /** Whether {@code name} (as in DualMtgan.allParameters) belongs to the learned prior's head. */
    public static boolean isPriorParameter(String name) {
        return name.startsWith("E_M.prior");
    }

    /** Whether the prior is learned ({@link ModelConfig#trajectoryPrior}); otherwise it is N(0, I). */
    public boolean learnedPrior() {
        return prior != null;
    }

    /** p(z | first keypoints) (B, 2K): (mu_p, logvar_p), each (B, motionDim); N(0, I) when not learned. */
    public NDList prior(NDArray first, boolean training) {
        long b = first.getShape().get(0);
        if (prior == null) {
            NDArray zero = first.getManager().zeros(new Shape(b, motionDim));
            return new NDList(zero, zero);
        }
        NDArray h = Activation.leakyRelu(priorHidden.forward(first, training), DownStack.SLOPE);
        NDArray p = prior.forward(h, training);
        NDArray lv = p.get(":, " + motionDim + ":").clip(-MotionEncoder.LOGVAR_LIMIT, MotionEncoder.LOGVAR_LIMIT);
        return new NDList(p.get(":, :" + motionDim), lv);
    }

    /**
     * A posterior (mu, logvar) whitened by the prior (mu_p, logvar_p): ((mu - mu_p) / sigma_p,
     * logvar - logvar_p). KL(q || p) equals the whitened posterior's KL against N(0, I), and a
     * whitened latent e maps back to z = mu_p + sigma_p e ({@link #unwhiten}).
     */
    public static NDList whiten(NDList q, NDList p) {
        NDArray invSigma = Scalars.mul(p.get(1), -0.5).exp();
        return new NDList(q.get(0).sub(p.get(0)).mul(invSigma), q.get(1).sub(p.get(1)));
    }

    /** z = mu_p + sigma_p e for whitened latents e (B, motionDim), or (B, T, motionDim) with one prior per row. */
    public static NDArray unwhiten(NDArray e, NDList p) {
        NDArray mu = p.get(0);
        NDArray sigma = Scalars.mul(p.get(1), 0.5).exp();
        if (e.getShape().dimension() == 3) {
            mu = mu.expandDims(1);
            sigma = sigma.expandDims(1);
        }
        return e.mul(sigma).add(mu);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray first = inputs.get(0);
        NDArray d = inputs.get(1);
        long b = d.getShape().get(0);
        long t = d.getShape().get(1);
        NDArray h = first.getManager().zeros(new Shape(b, hidden));
        NDArray c = h;
        // Step 1's displacement is 0 by definition: the trajectory starts at t = 2 (t = 1 alone for T = 1).
        for (long i = t > 1 ? 1 : 0; i < t; i++) {
            NDArray x = Activation.leakyRelu(input.forward(d.get(":, " + i).concat(first, 1), training), DownStack.SLOPE);
            NDList hc = lstm.forward(training, x, h, c);
            h = hc.get(0);
            c = hc.get(1);
        }
        NDArray q = posterior.forward(h, training);
        NDArray mu = q.get(":, :" + motionDim);
        NDArray lv = q.get(":, " + motionDim + ":");
        NDArray logvar = (logvarOffset == 0 ? lv : lv.add(logvarOffset)).clip(-MotionEncoder.LOGVAR_LIMIT, MotionEncoder.LOGVAR_LIMIT);
        return new NDList(mu, logvar);
    }

    public KeypointDetector detector() {
        return detector;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = new Shape(inputShapes[0].get(0), motionDim);
        return new Shape[] {s, s};
    }
}
