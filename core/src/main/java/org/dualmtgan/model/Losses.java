package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The forward pass of training and every loss of METHOD.md, in one place, next to the equations.
 * Each term is guarded by its weight: a weight of 0 skips the term (and any forward work only it
 * needs) instead of multiplying it by 0 — the ablation mechanism. Terms are returned unweighted;
 * the totals apply the weights. Discriminator outputs are logits; BCE with logits throughout:
 * {@code -log D(r) = softplus(-l)}, {@code -log(1 - D(f)) = softplus(l)}.
 */
public final class Losses {
    public static final String L_REC = "L_rec";
    public static final String L_C = "L_C";
    public static final String L_M = "L_M";
    public static final String L_KL = "L_KL";
    public static final String L_LAT = "L_lat";
    /** Keypoint motion: equivariance of the keypoints under a random affine warp. */
    public static final String L_EQ = "L_eq";
    /** Keypoint motion: L1 of R(z, kp^1) against the clip's keypoint displacements. */
    public static final String L_TRAJ = "L_traj";
    public static final String L_GAN_I_G = "L_GAN_I_G";
    public static final String L_GAN_V_G = "L_GAN_V_G";
    public static final String L_D_I = "L_D_I";
    public static final String L_D_V = "L_D_V";
    public static final String G_TOTAL = "G_total";
    public static final String D_TOTAL = "D_total";
    /** The warm-up/ramp factor applied to lambdaI and lambdaV at this step. */
    public static final String ADV_WEIGHT = "adv_weight";

    private final DualMtgan model;
    private final ModelConfig cfg;

    public Losses(DualMtgan model) {
        this.model = model;
        this.cfg = model.config();
    }

    /** The random numbers of one step, drawn in Java from (runSeed, step). */
    public record Draws(float[] eps, float[] zs, long[] framesV, long[] framesVx, long[] framesVyd,
                        long[] framesVys, long[] framesVy) {
        public static Draws of(long runSeed, long step, int batch, int frames, int motionDim) {
            SplittableRandom r = new SplittableRandom(DualMtgan.mix(runSeed, "step " + step));
            float[] eps = gaussian(r, batch * motionDim);
            float[] zs = gaussian(r, batch * motionDim);
            return new Draws(eps, zs, FrameSampler.draw(r, batch, frames), FrameSampler.draw(r, batch, frames),
                    FrameSampler.draw(r, batch, frames), FrameSampler.draw(r, batch, frames),
                    FrameSampler.draw(r, batch, frames));
        }

        static float[] gaussian(SplittableRandom r, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
            return v;
        }
    }

    /**
     * The random numbers of a keypoint-motion step: the frame t (1..T-1) of each of the P pairs of
     * each clip, the affine maps of the equivariance term (A = I + 0.1 N, t = 0.1 N: 6 numbers per
     * pair, row-major [A | t]) and the reparameterisation noise of z.
     */
    public record KeypointDraws(long[] pairFrames, float[] affine, float[] eps) {
        public static KeypointDraws of(long runSeed, long step, int batch, int frames, int pairs, int motionDim) {
            SplittableRandom r = new SplittableRandom(DualMtgan.mix(runSeed, "keypoint step " + step));
            long[] t = new long[batch * pairs];
            for (int i = 0; i < t.length; i++) t[i] = 1 + r.nextInt(frames - 1);
            float[] a = new float[batch * pairs * 6];
            for (int i = 0; i < batch * pairs; i++) {
                for (int j = 0; j < 6; j++) a[6 * i + j] = (float) (0.1 * r.nextGaussian()) + (j == 0 || j == 4 ? 1f : 0f);
            }
            return new KeypointDraws(t, a, Draws.gaussian(r, batch * motionDim));
        }
    }

    /** The computed terms (unweighted scalars) and the weighted totals; absent terms were switched off. */
    public static final class Terms {
        public final Map<String, NDArray> generator = new LinkedHashMap<>();
        public final Map<String, NDArray> discriminator = new LinkedHashMap<>();
        /** Weighted generator objective, or null when no generator term is on. */
        public NDArray generatorTotal;
        /** Discriminator objective, or null when both discriminators are off. */
        public NDArray discriminatorTotal;
        public double adversarialFactor;
    }

    /**
     * The coarse levels of L_rec for the warp decoder (ModelConfig.warpPyramid): for k = 1..levels,
     * occ_k * warp(x1_k, flow_k) + (1 - occ_k) * gen_k against the clip V_k, every map average-pooled
     * by 2^k and the flow also divided by 2^k (pixels of that scale); the mean of the levels' L1.
     * The parts are those of V~x: the first B*T rows of G's flow, occlusion and generated layer.
     */
    static NDArray pyramidRec(NDList parts, NDArray x1, NDArray source, long b, long t, int levels) {
        long n = b * t;
        NDArray flow = parts.get(1).get(":" + n);
        NDArray occ = parts.get(2).get(":" + n);
        NDArray gen = parts.get(3).get(":" + n);
        Shape s = source.getShape();
        NDArray target = source.reshape(n, s.get(2), s.get(3), s.get(4));
        NDArray image = Generator.perFrame(x1, t);
        NDArray sum = null;
        for (int k = 1; k <= levels; k++) {
            int f = 1 << k;
            NDArray l1 = Generator.composeWarp(pool(image, f), Scalars.div(pool(flow, f), f), pool(occ, f), pool(gen, f))
                    .sub(pool(target, f)).abs().mean();
            sum = sum == null ? l1 : sum.add(l1);
        }
        return Scalars.div(sum, levels);
    }

    private static NDArray pool(NDArray x, int f) {
        Shape k = new Shape(f, f);
        return ai.djl.nn.pooling.Pool.avgPool2d(x, k, k, new Shape(0, 0), false, true);
    }

    /**
     * KL(N(mu, sigma^2) || N(0, I)) of each latent dimension, averaged over the batch: (motionDim)
     * from mu and log sigma^2 (B, motionDim). L_KL is its sum; the held-out evaluation logs it.
     */
    public static NDArray klPerDimension(NDArray mu, NDArray logvar) {
        return Scalars.mul(mu.square().add(logvar.exp()).sub(1f).sub(logvar), 0.5).mean(new int[] {0});
    }

    /**
     * Forward pass and losses for source clips V and target clips V_y (B, T, 3, S, S), y = V_y's
     * first frame. Run inside a gradient collector to train. The fakes that the discriminator
     * terms see are detached (stopGradient), so {@code discriminatorTotal} reaches only D_I, D_V.
     */
    public Terms compute(NDArray source, NDArray targetClip, Draws draws, double adversarialFactor) {
        Terms terms = new Terms();
        terms.adversarialFactor = adversarialFactor;
        NDManager nd = source.getManager();
        Shape s = source.getShape();
        int b = (int) s.get(0);
        int t = (int) s.get(1);
        long size = s.get(3);
        boolean dI = cfg.lambdaI > 0;
        boolean dV = cfg.lambdaV > 0;
        double wI = cfg.lambdaI * adversarialFactor;
        double wV = cfg.lambdaV * adversarialFactor;
        boolean discriminators = dI || dV;
        boolean needYd = cfg.lambdaM > 0 || discriminators;
        boolean needYs = cfg.lambdaLatent > 0 || discriminators;

        NDArray x1 = source.get(":, 0");
        NDArray y = targetClip.get(":, 0");

        // c_x = E_C(x^1), c_y = E_C(y); with L_C on, E_C sees every frame of V (x^1 among them).
        NDList cx;
        NDList cy;
        if (cfg.lambdaC > 0) {
            NDList all = model.encodeContent(source.reshape(b * t, 3, size, size).concat(y, 0), true);
            cx = new NDList();
            cy = new NDList();
            for (NDArray a : all) {
                Shape as = a.getShape();
                NDArray frames = a.get("0:" + (b * t));
                cx.add(frames.reshape(new Shape(b, t).addAll(as.slice(1))).get(":, 0"));
                cy.add(a.get((b * t) + ":"));
            }
            // L_C = || E_C(x^t) - E_C(x^{t+1}) ||_1, averaged over t (on the content vector c).
            NDArray c = all.get(0).get("0:" + (b * t)).reshape(b, t, -1);
            terms.generator.put(L_C, c.get(":, 1:").sub(c.get(":, :-1")).abs().mean());
        } else {
            NDList both = model.encodeContent(x1.concat(y, 0), true);
            cx = new NDList();
            cy = new NDList();
            for (NDArray a : both) {
                cx.add(a.get(":" + b));
                cy.add(a.get(b + ":"));
            }
        }

        // q = E_M(V) = N(mu, sigma^2);  z_M = mu + sigma * eps (reparameterised).
        NDList q = model.motionEncoder().forward(true, source);
        NDArray mu = q.get(0);
        NDArray logvar = q.get(1);
        NDArray eps = nd.create(draws.eps(), new Shape(b, cfg.motionDim));
        NDArray zM = mu.add(Scalars.mul(logvar, 0.5).exp().mul(eps));
        NDArray zS = nd.create(draws.zs(), new Shape(b, cfg.motionDim));

        // m = R(z_M); and R(z_s) for the stochastic transfer: one unrolled LSTM for both.
        NDArray codes = model.motionDecoder().decode(needYs ? zM.concat(zS, 0) : zM, t, true);
        NDArray m = codes.get(":" + b);

        // V~x = G(c_x, m); V~y,d = G(c_y, m); V~y,s = G(c_y, R(z_s)): one batch through G.
        NDList images = new NDList(x1);
        NDList motions = new NDList(m);
        NDList[] contents = {cx, null, null};
        int parts = 1;
        if (needYd) {
            images.add(y);
            motions.add(m);
            contents[parts++] = cy;
        }
        if (needYs) {
            images.add(y);
            motions.add(codes.get(b + ":"));
            contents[parts++] = cy;
        }
        NDList content = new NDList();
        for (int i = 0; i < cx.size(); i++) {
            NDList pieces = new NDList();
            for (int k = 0; k < parts; k++) pieces.add(contents[k].get(i));
            content.add(parts == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0));
        }
        NDList gParts = model.generator().generateParts(concat(images), content, concat(motions), true);
        NDArray fakes = gParts.get(0);
        NDArray vx = fakes.get(":" + b);
        NDArray vyd = needYd ? fakes.get(b + ":" + (2 * b)) : null;
        NDArray vys = needYs ? fakes.get((parts - 1) * b + ":" + (parts * b)) : null;

        // L_rec = || V~x - V ||_1, optionally weighted per pixel by 1 + w |x^t - x^1| (recMotionWeight).
        if (cfg.lambdaRec > 0) {
            NDArray err = vx.sub(source).abs();
            if (cfg.recMotionWeight > 0) {
                NDArray moving = source.sub(x1.expandDims(1)).abs().mean(new int[] {2}, true);
                err = err.mul(Scalars.mul(moving, cfg.recMotionWeight).add(1f));
            }
            NDArray rec = err.mean();
            if (cfg.warpPyramid > 0) rec = rec.add(pyramidRec(gParts, x1, source, b, t, cfg.warpPyramid));
            terms.generator.put(L_REC, rec);
        }

        // L_KL = KL(N(mu, sigma^2) || N(0, I)), summed over latent dimensions, averaged over the batch.
        // With free bits, the objective takes max(KL_d, floor) per dimension (a floor's worth is free).
        NDArray klObjective = null;
        if (cfg.lambdaKL > 0) {
            NDArray perDim = klPerDimension(mu, logvar);
            terms.generator.put(L_KL, perDim.sum());
            if (cfg.klFreeBits > 0) klObjective = Scalars.maximum(perDim, cfg.klFreeBits).sum();
        }

        // Motion codes read back from generated videos (posterior means).
        if (cfg.lambdaM > 0 || cfg.lambdaLatent > 0) {
            NDList back = new NDList();
            if (cfg.lambdaM > 0) {
                back.add(vx);
                back.add(vyd);
            }
            if (cfg.lambdaLatent > 0) back.add(vys);
            NDArray muBack = model.motionEncoder().forward(true, concat(back)).get(0);
            if (cfg.lambdaM > 0) {
                // L_M = || E_M(V~x) - z_M ||_1 + || E_M(V~y,d) - z_M ||_1 (means of the posteriors)
                NDArray lm = muBack.get(":" + b).sub(mu).abs().mean()
                        .add(muBack.get(b + ":" + (2 * b)).sub(mu).abs().mean());
                terms.generator.put(L_M, lm);
            }
            if (cfg.lambdaLatent > 0) {
                // Latent regression || E_M(V~y,s) - z_s ||_1
                NDArray sampled = muBack.get((back.size() - 1) * b + ":");
                terms.generator.put(L_LAT, sampled.sub(zS).abs().mean());
            }
        }

        FrameSampler sI = model.frameSampler();
        ImageDiscriminator dImg = model.imageDiscriminator();
        if (dI) {
            NDArray sV = sI.sample(source, draws.framesV());
            NDArray sVx = sI.sample(vx, draws.framesVx());
            NDArray sVyd = sI.sample(vyd, draws.framesVyd());
            NDArray sVys = sI.sample(vys, draws.framesVys());
            NDArray sVy = sI.sample(targetClip, draws.framesVy());
            if (wI > 0) {
                // Generator side of L_GAN^I, non-saturating: the fake pairs labelled real,
                // with the paper's 1/2 factors; V~y counts as the mean of V~y,d and V~y,s.
                NDList l = split(dImg.score(concat(x1, y, y), concat(sVx, sVyd, sVys), true), 3);
                terms.generator.put(L_GAN_I_G, Scalars.mul(real(l.get(0)), 0.5)
                        .add(Scalars.mul(real(l.get(1)).add(real(l.get(2))), 0.25)));
            }
            // D_I maximises L_GAN,x^I + L_GAN,y^I:
            //   log D_I(x^1, S_I(V)) + 1/2 [log(1 - D_I(x^1, S_I(V~x))) + log(1 - D_I(y, S_I(V)))]
            // + log D_I(y, y)       + 1/2 [log(1 - D_I(y, S_I(V~y)))  + log(1 - D_I(x^1, S_I(V_y)))]
            NDList l = split(dImg.score(
                    concat(x1, x1, y, y, y, y, x1),
                    concat(sV, sVx.stopGradient(), sV, y, sVyd.stopGradient(), sVys.stopGradient(), sVy), true), 7);
            NDArray lx = real(l.get(0)).add(Scalars.mul(fake(l.get(1)).add(fake(l.get(2))), 0.5));
            NDArray ly = real(l.get(3)).add(Scalars.mul(Scalars.mul(fake(l.get(4)).add(fake(l.get(5))), 0.5).add(fake(l.get(6))), 0.5));
            terms.discriminator.put(L_D_I, lx.add(ly));
        }

        VideoDiscriminator dVid = model.videoDiscriminator();
        if (dV) {
            if (wV > 0) {
                // Generator side of L_GAN^V, non-saturating.
                NDList l = split(dVid.forward(concat(vx, vyd, vys), true), 3);
                terms.generator.put(L_GAN_V_G, real(l.get(0)).add(Scalars.mul(real(l.get(1)).add(real(l.get(2))), 0.5)));
            }
            // D_V maximises log D_V(V) + log(1 - D_V(V~x)) + log D_V(V_y) + log(1 - D_V(V~y)).
            NDList l = split(dVid.forward(concat(source, vx.stopGradient(), targetClip,
                    vyd.stopGradient(), vys.stopGradient()), true), 5);
            terms.discriminator.put(L_D_V, real(l.get(0)).add(fake(l.get(1))).add(real(l.get(2)))
                    .add(Scalars.mul(fake(l.get(3)).add(fake(l.get(4))), 0.5)));
        }

        // Generator objective: l_rec L_rec + l_C L_C + l_M L_M + l_KL L_KL + l_lat L_lat
        //                      + a * (l_I L_GAN^I(G) + l_V L_GAN^V(G)),  a = warm-up/ramp factor.
        Map<String, Double> weights = Map.of(L_REC, cfg.lambdaRec, L_C, cfg.lambdaC, L_M, cfg.lambdaM,
                L_KL, cfg.lambdaKL, L_LAT, cfg.lambdaLatent, L_GAN_I_G, wI, L_GAN_V_G, wV);
        return totals(terms, weights, klObjective);
    }

    /**
     * Keypoint motion (ModelConfig.motion = "keypoints"): forward pass and losses for source clips
     * V (B, T, 3, S, S). Per clip, P pairs (x^1, x^t) are rendered: G moves x^1 from its keypoints
     * to those of x^t. The trajectory half (E_M's posterior, R) trains on the detected keypoints
     * with their gradient stopped, so the motion prior follows the keypoints without bending them.
     * <pre>
     *   L_rec  = mean over 2^k-pooled levels k = 0..log2(S)-3 of || G(x^1, kp^1 -> kp^t) - x^t ||_1
     *   L_eq   = || A kp(warp_{A,t}(x^t)) + t - kp(x^t) ||_1
     *   L_traj = || R(z, kp^1) - (kp^t - kp^1)_t ||_1,  z ~ q(z | (kp^t - kp^1)_t, kp^1)
     *   L_KL   = KL(q || p),  p = N(0, I), or the learned prior p(z | kp^1)
     *   L_M    = || kp(G(x^1, kp^1 -> kp^t)) - kp^t ||_1   (the keypoints read back from the frames)
     *   L_GAN^I: D_I on (x^1, x^t) against (x^1, rendered x^t)
     * </pre>
     */
    public Terms computeKeypoints(NDArray source, KeypointDraws draws, double adversarialFactor) {
        Terms terms = new Terms();
        terms.adversarialFactor = adversarialFactor;
        NDManager nd = source.getManager();
        Shape s = source.getShape();
        int b = (int) s.get(0);
        int t = (int) s.get(1);
        long size = s.get(3);
        int p = cfg.pairs;
        int k = cfg.keypoints;
        int n = b * p;
        NDArray frames = source.reshape((long) b * t, 3, size, size);
        NDArray x1 = source.get(":, 0");
        NDList picked = new NDList(n);
        for (int i = 0; i < n; i++) picked.add(frames.get((i / p) * (long) t + draws.pairFrames()[i]));
        NDArray targets = NDArrays.stack(picked, 0);
        NDArray affine = nd.create(draws.affine(), new Shape(n, 2, 3));

        // One detector pass: every frame of V (for the trajectories) and the affine-warped targets.
        NDArray det = model.detect(frames.concat(Keypoints.affineWarp(targets, affine), 0), true);
        NDArray kpAll = det.get(":" + (b * t)).reshape(b, t, k, 2);
        NDArray kpWarped = det.get((b * t) + ":");
        NDList kpPicked = new NDList(n);
        for (int i = 0; i < n; i++) kpPicked.add(kpAll.get((i / p) + ", " + draws.pairFrames()[i]));
        NDArray kpDrv = NDArrays.stack(kpPicked, 0);
        NDArray kp1 = kpAll.get(":, 0");

        NDList content = new NDList();
        for (NDArray a : model.encodeContent(x1, true)) content.add(Generator.perFrame(a, p));
        NDArray src = Generator.perFrame(x1, p);
        NDArray rendered = model.keypointGenerator().render(src, content, Generator.perFrame(kp1, p), kpDrv, true).get(0);

        if (cfg.lambdaRec > 0) {
            // Weighted per pixel by 1 + w |x^t - x^1| (recMotionWeight) so the few moving pixels count.
            NDArray weight = cfg.recMotionWeight > 0
                    ? Scalars.mul(targets.sub(src).abs().mean(new int[] {1}, true), cfg.recMotionWeight).add(1f)
                    : null;
            terms.generator.put(L_REC, pyramidL1(rendered, targets, Integer.numberOfTrailingZeros((int) size) - 2, weight));
        }
        if (cfg.lambdaEq > 0) terms.generator.put(L_EQ, Keypoints.applyAffine(kpWarped, affine).sub(kpDrv).abs().mean());

        // The trajectory VAE on the keypoints, gradient stopped at the detector.
        NDArray klObjective = trajectoryTerms(terms, kpAll.stopGradient().reshape(b, t, 2L * k), draws.eps());
        if (cfg.lambdaM > 0) {
            NDArray back = model.detect(rendered, true);
            terms.generator.put(L_M, back.sub(kpDrv.stopGradient()).abs().mean());
        }
        double wI = cfg.lambdaI * adversarialFactor;
        if (cfg.lambdaI > 0) {
            ImageDiscriminator dImg = model.imageDiscriminator();
            if (wI > 0) terms.generator.put(L_GAN_I_G, real(dImg.score(src, rendered, true)));
            NDList l = split(dImg.score(concat(src, src), concat(targets, rendered.stopGradient()), true), 2);
            terms.discriminator.put(L_D_I, real(l.get(0)).add(fake(l.get(1))));
        }

        Map<String, Double> weights = Map.of(L_REC, cfg.lambdaRec, L_EQ, cfg.lambdaEq, L_TRAJ, cfg.lambdaTraj,
                L_KL, cfg.lambdaKL, L_M, cfg.lambdaM, L_GAN_I_G, wI);
        return totals(terms, weights, klObjective);
    }

    /**
     * The motion prior alone (the second training stage, {@code train.motionSteps}): the trajectory
     * VAE's terms on keypoint trajectories (B, T, 2K) that are data, not outputs of the detector, so
     * the gradient reaches E_M's posterior and R only. {@code eps} (B * motionDim) is the
     * reparameterisation noise.
     * <pre>
     *   L_traj = || R(z, kp^1) - (kp^t - kp^1)_t ||_1,  z = mu + sigma * eps,  (mu, sigma) = q(z | (kp^t - kp^1)_t, kp^1)
     *   L_KL   = KL(q || p),  p = N(0, I), or N(mu_p(kp^1), sigma_p(kp^1)^2) with trajectoryPrior "learned"
     *   total  = l_traj L_traj + l_KL L_KL
     * </pre>
     */
    public Terms computeTrajectory(NDArray trajectories, float[] eps) {
        Terms terms = new Terms();
        NDArray klObjective = trajectoryTerms(terms, trajectories, eps);
        return totals(terms, Map.of(L_TRAJ, cfg.lambdaTraj, L_KL, cfg.lambdaKL), klObjective);
    }

    /** L_traj and L_KL of trajectories (B, T, 2K) into {@code terms}; returns the free-bits KL objective or null. */
    private NDArray trajectoryTerms(Terms terms, NDArray traj, float[] eps) {
        NDManager nd = traj.getManager();
        long b = traj.getShape().get(0);
        int t = (int) traj.getShape().get(1);
        NDArray first = traj.get(":, 0");
        NDArray disp = traj.sub(first.expandDims(1));
        KeypointEncoder encoder = model.keypointEncoder();
        NDList q = encoder.posterior(first, disp, true);
        NDArray mu = q.get(0);
        NDArray logvar = q.get(1);
        if (cfg.lambdaTraj > 0) {
            NDArray noise = nd.create(eps, new Shape(b, cfg.motionDim));
            NDArray z = mu.add(Scalars.mul(logvar, 0.5).exp().mul(noise));
            NDArray decoded = model.motionDecoder().decode(z.concat(first, 1), t, true);
            terms.generator.put(L_TRAJ, decoded.sub(disp).abs().mean());
        }
        NDArray klObjective = null;
        if (cfg.lambdaKL > 0) {
            // KL(q || p): against N(0, I), or against the learned prior as the whitened posterior's KL.
            NDList w = encoder.learnedPrior() ? KeypointEncoder.whiten(q, encoder.prior(first, true)) : q;
            NDArray perDim = klPerDimension(w.get(0), w.get(1));
            terms.generator.put(L_KL, perDim.sum());
            if (cfg.klFreeBits > 0) klObjective = Scalars.maximum(perDim, cfg.klFreeBits).sum();
        }
        return klObjective;
    }

    /**
     * The weighted generator total (the free-bits KL objective in L_KL's place when given) and the
     * discriminator total, into {@code terms}.
     */
    private static Terms totals(Terms terms, Map<String, Double> weights, NDArray klObjective) {
        for (Map.Entry<String, NDArray> e : terms.generator.entrySet()) {
            NDArray term = e.getKey().equals(L_KL) && klObjective != null ? klObjective : e.getValue();
            NDArray w = Scalars.mul(term, weights.get(e.getKey()));
            terms.generatorTotal = terms.generatorTotal == null ? w : terms.generatorTotal.add(w);
        }
        for (NDArray d : terms.discriminator.values()) {
            terms.discriminatorTotal = terms.discriminatorTotal == null ? d : terms.discriminatorTotal.add(d);
        }
        return terms;
    }

    /** Mean L1 of a and b (N, C, S, S) over {@code levels} scales: full, then average-pooled by 2, 4, ... */
    static NDArray pyramidL1(NDArray a, NDArray b, int levels) {
        return pyramidL1(a, b, levels, null);
    }

    /**
     * As {@link #pyramidL1(NDArray, NDArray, int)}, each pixel's error multiplied by {@code weight}
     * (N, 1, S, S; pooled with the frames at coarser scales), or plain when it is null.
     */
    static NDArray pyramidL1(NDArray a, NDArray b, int levels, NDArray weight) {
        NDArray sum = null;
        for (int level = 0; level < levels; level++) {
            int f = 1 << level;
            NDArray err = level == 0 ? a.sub(b).abs() : pool(a, f).sub(pool(b, f)).abs();
            if (weight != null) err = err.mul(level == 0 ? weight : pool(weight, f));
            sum = sum == null ? err.mean() : sum.add(err.mean());
        }
        return Scalars.div(sum, levels);
    }

    /** -log sigmoid(l): BCE of logits against "real", averaged. */
    static NDArray real(NDArray logits) {
        return Activation.softPlus(logits.neg()).mean();
    }

    /** -log(1 - sigmoid(l)): BCE of logits against "fake", averaged. */
    static NDArray fake(NDArray logits) {
        return Activation.softPlus(logits).mean();
    }

    private static NDArray concat(NDArray... arrays) {
        return arrays.length == 1 ? arrays[0] : NDArrays.concat(new NDList(arrays), 0);
    }

    private static NDArray concat(NDList arrays) {
        return arrays.size() == 1 ? arrays.get(0) : NDArrays.concat(arrays, 0);
    }

    private static NDList split(NDArray a, int parts) {
        return a.split(parts, 0);
    }
}
