package org.dualmtgan.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.dualmtgan.InvalidInputException;

/**
 * Sizes of the networks, loss weights and optimizer settings of one Dual-MTGAN model (METHOD.md).
 * A Jackson POJO: every field is public with the project's default, so a config file only names
 * what it changes. A loss weight of 0 switches that loss off without computing it (the ablation
 * mechanism); {@code lambdaI = 0} or {@code lambdaV = 0} also stops training that discriminator.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class ModelConfig {
    /** Frame height and width in pixels: 32, 64 or 128. */
    public int size = 64;
    /** Clip length T seen in training (and by D_V). */
    public int frames = 16;
    /** Base channel count; deeper layers use width * 2^level, capped at width * 8. */
    public int width = 32;
    /** Length of the content vector c produced by E_C (the skip maps come in addition). */
    public int contentDim = 128;
    /** Length of the motion latent z (posterior of E_M, input of R). */
    public int motionDim = 32;
    /** Length of the per-frame motion code m^t (output of R, input of G's FiLM layers). */
    public int motionCodeDim = 64;
    /** Spectral norm on D_I and D_V convolutions. */
    public boolean spectralNorm = false;
    /**
     * "masked": frame = mask * image + (1 - mask) * generated (the default); "plain": generated only;
     * "warp": frame = occ * warp(image, flow) + (1 - occ) * generated, with m^t also entering G as a
     * spatial map (the spatial motion pathway; see {@link Generator}).
     */
    public String decoder = "masked";
    /**
     * The motion code. "latent": the paper's per-clip code (E_M's LSTM over frames -> z, R(z) ->
     * m^t entering G through AdaIN). "keypoints": this project's reading of E_M and R (docs/model.md):
     * m^t is the displacement of K keypoints from the conditioning frame's (2K numbers per frame),
     * E_M detects them per frame and encodes their trajectory into z, R(z, kp^1) decodes z back
     * into displacements, and G moves the image by a dense flow built from the keypoints
     * ({@link KeypointGenerator}). Needs motionCodeDim = 2 * keypoints and lambdaV = 0.
     */
    public String motion = "latent";
    /** K, the number of keypoints (keypoint motion). */
    public int keypoints = 10;
    /** (x^1, x^t) pairs rendered per clip and step (keypoint motion). */
    public int pairs = 4;
    /** Width of the trajectory encoder's and R's LSTM state (keypoint motion). */
    public int trajectoryHidden = 128;
    /**
     * The motion latent's prior (keypoint motion): "standard", N(0, I); or "learned", N(mu_p, sigma_p^2)
     * from the first frame's keypoints (as SVG-LP's learned prior), so a pose gets the motions that
     * start from it. The API's latents stay standard normal either way: a learned prior's latents are
     * whitened by it, (z - mu_p) / sigma_p.
     */
    public String trajectoryPrior = "standard";

    // Loss weights (METHOD.md defaults).
    public double lambdaRec = 10;
    public double lambdaC = 1;
    public double lambdaM = 1;
    public double lambdaKL = 0.01;
    public double lambdaI = 0.1;
    public double lambdaV = 0.1;
    /**
     * Free bits of L_KL, in nats per latent dimension: a dimension's KL (batch mean) under this
     * floor is not penalised, so the motion code can carry that much without cost (a guard against
     * posterior collapse; 0: plain KL). The logged L_KL stays the plain KL.
     */
    public double klFreeBits = 0;
    /**
     * Added to E_M's log-variance output. At 0 an untrained encoder's posterior has sigma = 1 while
     * its means are about 0.3: z is mostly noise, the decoder learns to ignore it and the code
     * collapses (KL a fraction of a nat). A negative offset (-2: sigma 0.37) lets z carry the clip's
     * motion from the first step; KL then trades the noise back in.
     */
    public double logvarOffset = 0;
    /**
     * Gain on E_M's difference channels: each frame is seen as (x^t, g (x^t - x^1)). Where motion
     * moves few pixels by little (synthetic faces: a mean |x^t - x^1| of 0.01 on [-1, 1], against
     * 0.06 for Weizmann), the differences are a small part of what the first convolution sees next
     * to the appearance channels, and the motion code starts out carrying appearance, not motion.
     * 1: the paper's input.
     */
    public double motionInputGain = 1;
    /**
     * Coarse levels of the warp decoder's reconstruction term (0: none). Bilinear sampling passes
     * a flow only the gradient of the pixels next to where it samples, so a limb that moved 15 px
     * gives its flow no signal pointing at it, and the decoder learns to fade the limb instead of
     * moving it. Level k (1..N) scores the same composition at 1/2^k scale: the image, flow (in
     * pixels of that scale), occlusion and generated layer average-pooled by 2^k, compared with the
     * pooled clip under L1; there a 15 px move is 2 px at level 3. The terms are added to L_rec
     * (mean over levels, weight lambdaRec); the frames themselves are unchanged.
     */
    public int warpPyramid = 0;
    /**
     * Motion weighting of L_rec: each pixel's error weighted by 1 + w * |x^t - x^1| (mean over RGB,
     * on [-1, 1]), so the few moving pixels are not drowned by the static background (0: plain L1).
     */
    public double recMotionWeight = 0;
    /** Equivariance of the keypoints under a random affine warp (keypoint motion). */
    public double lambdaEq = 10;
    /**
     * Local affine candidate flows of the dense motion (keypoint motion), as a neighbourhood scale
     * in normalised units: candidate k maps the driving frame to the source by the affine map that
     * best carries the keypoints near kp_drv_k (Gaussian weights of this width) onto theirs, centred
     * on keypoint k, so a head that tilts is rotated as a whole instead of shifted piece by piece
     * (0: translations only, Monkey-Net's candidates).
     */
    public double localAffine = 0;
    /** L1 of R(z, kp^1) against the clip's keypoint displacements (keypoint motion; the trajectory VAE's reconstruction). */
    public double lambdaTraj = 10;
    /** Latent regression || E_M(V~y,s) - z_s ||_1 (METHOD.md "optional latent regression"). */
    public double lambdaLatent = 1;

    /** Steps with the adversarial weights at 0 (the discriminators still train). */
    public long warmupSteps = 400;
    /** Steps of the linear ramp of the adversarial weights after the warm-up (0: jump to full). */
    public long rampSteps = 400;

    // Adam, shared by both sides.
    public double lr = 2e-4;
    public double beta1 = 0.5;
    public double beta2 = 0.999;
    public double eps = 1e-8;

    /** A copy of the defaults. */
    public ModelConfig() {}

    /** Number of stride-2 levels of E_C and G: from {@code size} down to 4 px (size 64: 4 levels at 32, 16, 8, 4 px). */
    @JsonIgnore
    public int encoderDepth() {
        return Integer.numberOfTrailingZeros(size) - 2;
    }

    /** Number of upsampling stages of G (one per encoder level: back from 4 px to {@code size}). */
    @JsonIgnore
    public int decoderDepth() {
        return encoderDepth();
    }

    /**
     * The adversarial weight factor at {@code step} (0-based): 0 during the warm-up, then a linear
     * ramp to 1 over {@code rampSteps}.
     */
    public double adversarialFactor(long step) {
        if (step < warmupSteps) return 0;
        if (rampSteps <= 0) return 1;
        return Math.min(1.0, (double) (step - warmupSteps + 1) / rampSteps);
    }

    /** Whether the motion code is the keypoint one. */
    @JsonIgnore
    public boolean keypointMotion() {
        return "keypoints".equals(motion);
    }

    /** Whether the motion latent has a prior learned from the first keypoints ({@link #trajectoryPrior}). */
    public boolean learnedPrior() {
        return "learned".equals(trajectoryPrior);
    }

    /** Throws {@link InvalidInputException} with a clear message when a value is out of range. */
    public void validate() {
        if (size != 32 && size != 64 && size != 128) {
            throw new InvalidInputException("model config: size must be 32, 64 or 128, got " + size);
        }
        if (frames < 2 || frames > 256) {
            throw new InvalidInputException("model config: frames must be between 2 and 256, got " + frames);
        }
        positive("width", width, 1024);
        positive("contentDim", contentDim, 4096);
        positive("motionDim", motionDim, 4096);
        positive("motionCodeDim", motionCodeDim, 4096);
        if (!"masked".equals(decoder) && !"plain".equals(decoder) && !"warp".equals(decoder)) {
            throw new InvalidInputException("model config: decoder must be \"masked\", \"plain\" or \"warp\", got \"" + decoder + "\"");
        }
        weight("lambdaRec", lambdaRec);
        weight("lambdaC", lambdaC);
        weight("lambdaM", lambdaM);
        weight("lambdaKL", lambdaKL);
        weight("lambdaI", lambdaI);
        weight("lambdaV", lambdaV);
        weight("lambdaLatent", lambdaLatent);
        weight("lambdaEq", lambdaEq);
        weight("lambdaTraj", lambdaTraj);
        if (!"latent".equals(motion) && !"keypoints".equals(motion)) {
            throw new InvalidInputException("model config: motion must be \"latent\" or \"keypoints\", got \"" + motion + "\"");
        }
        positive("keypoints", keypoints, 64);
        positive("pairs", pairs, 64);
        positive("trajectoryHidden", trajectoryHidden, 4096);
        if (!"standard".equals(trajectoryPrior) && !"learned".equals(trajectoryPrior)) {
            throw new InvalidInputException("model config: trajectoryPrior must be \"standard\" or \"learned\", got \"" + trajectoryPrior + "\"");
        }
        if ("learned".equals(trajectoryPrior) && !keypointMotion()) {
            throw new InvalidInputException("model config: trajectoryPrior \"learned\" needs motion \"keypoints\"");
        }
        if (keypointMotion()) {
            if (motionCodeDim != 2 * keypoints) {
                throw new InvalidInputException("model config: motion \"keypoints\" needs motionCodeDim = 2 * keypoints = "
                        + (2 * keypoints) + ", got " + motionCodeDim);
            }
            if (lambdaV > 0) {
                throw new InvalidInputException("model config: motion \"keypoints\" renders (x^1, x^t) pairs, not whole clips, so D_V cannot train: set lambdaV to 0");
            }
            if (lambdaLatent > 0) {
                throw new InvalidInputException("model config: motion \"keypoints\" has no latent regression: set lambdaLatent to 0");
            }
            if (lambdaC > 0) {
                throw new InvalidInputException("model config: motion \"keypoints\" warps E_C's maps instead of comparing content vectors: set lambdaC to 0");
            }
        }
        weight("klFreeBits", klFreeBits);
        weight("recMotionWeight", recMotionWeight);
        if (!(localAffine >= 0 && localAffine <= 10)) throw new InvalidInputException("model config: localAffine must be in [0, 10], got " + localAffine);
        if (localAffine > 0 && !keypointMotion()) throw new InvalidInputException("model config: localAffine needs motion \"keypoints\"");
        if (!(motionInputGain > 0 && motionInputGain <= 100)) {
            throw new InvalidInputException("model config: motionInputGain must be in (0, 100], got " + motionInputGain);
        }
        if (!(Math.abs(logvarOffset) <= 10)) throw new InvalidInputException("model config: logvarOffset must be in [-10, 10], got " + logvarOffset);
        if (warpPyramid < 0 || warpPyramid > 4) throw new InvalidInputException("model config: warpPyramid must be in [0, 4], got " + warpPyramid);
        if (warpPyramid > 0 && !"warp".equals(decoder)) throw new InvalidInputException("model config: warpPyramid needs decoder \"warp\"");
        if (warpPyramid > 0 && (size >> warpPyramid) < 4) throw new InvalidInputException("model config: warpPyramid " + warpPyramid + " is too coarse for size " + size);
        if (warmupSteps < 0) throw new InvalidInputException("model config: warmupSteps must be >= 0, got " + warmupSteps);
        if (rampSteps < 0) throw new InvalidInputException("model config: rampSteps must be >= 0, got " + rampSteps);
        if (!(lr > 0 && lr < 1)) throw new InvalidInputException("model config: lr must be in (0, 1), got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new InvalidInputException("model config: beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new InvalidInputException("model config: beta2 must be in [0, 1), got " + beta2);
        if (!(eps > 0)) throw new InvalidInputException("model config: eps must be > 0, got " + eps);
    }

    private static void positive(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new InvalidInputException("model config: " + name + " must be between 1 and " + max + ", got " + value);
        }
    }

    private static void weight(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidInputException("model config: " + name + " must be a finite weight >= 0, got " + value);
        }
    }

    /** A field-by-field copy. */
    public ModelConfig copy() {
        ModelConfig c = new ModelConfig();
        c.size = size; c.frames = frames; c.width = width; c.contentDim = contentDim; c.motionDim = motionDim;
        c.motionCodeDim = motionCodeDim; c.spectralNorm = spectralNorm; c.decoder = decoder;
        c.lambdaRec = lambdaRec; c.lambdaC = lambdaC; c.lambdaM = lambdaM; c.lambdaKL = lambdaKL;
        c.lambdaI = lambdaI; c.lambdaV = lambdaV; c.lambdaLatent = lambdaLatent;
        c.klFreeBits = klFreeBits; c.recMotionWeight = recMotionWeight; c.logvarOffset = logvarOffset; c.warpPyramid = warpPyramid;
        c.motionInputGain = motionInputGain;
        c.motion = motion; c.keypoints = keypoints; c.pairs = pairs; c.trajectoryHidden = trajectoryHidden;
        c.trajectoryPrior = trajectoryPrior;
        c.lambdaEq = lambdaEq; c.lambdaTraj = lambdaTraj; c.localAffine = localAffine;
        c.warmupSteps = warmupSteps; c.rampSteps = rampSteps;
        c.lr = lr; c.beta1 = beta1; c.beta2 = beta2; c.eps = eps;
        return c;
    }
}
