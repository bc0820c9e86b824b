package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import org.dualmtgan.InvalidInputException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The Dual-MTGAN networks (METHOD.md): E_C, E_M, R, G on the generator side, D_I, D_V on the
 * discriminator side, and the frame sampler S_I. Inference methods take arrays in [-1, 1],
 * videos as (B, T, 3, H, W) and images as (B, 3, H, W), run without gradients (call them outside
 * a gradient collector) and return arrays owned by the manager of their first argument.
 * Not thread-safe: one caller at a time.
 */
public final class DualMtgan implements AutoCloseable {
    /** The two optimizer sides. */
    public enum Side { GENERATOR, DISCRIMINATOR }

    /** Network names, in the order of {@link #parameterCounts()}. */
    public static final List<String> NETWORKS = List.of("E_C", "E_M", "R", "G", "D_I", "D_V");

    private final ModelConfig cfg;
    private final NDManager manager;
    private final ContentEncoder contentEncoder;
    /** E_M and G of the per-clip latent motion, or null in keypoint mode. */
    private final MotionEncoder motionEncoder;
    private final Generator generator;
    /** E_M and G of the keypoint motion, or null in latent mode. */
    private final KeypointEncoder keypointEncoder;
    private final KeypointGenerator keypointGenerator;
    private final MotionDecoder motionDecoder;
    private final ImageDiscriminator imageDiscriminator;
    private final VideoDiscriminator videoDiscriminator;
    private final FrameSampler frameSampler = new FrameSampler();
    /** Every parameter (trainable and state) by dotted name, networks in {@link #NETWORKS} order. */
    private final Map<String, Parameter> all = new LinkedHashMap<>();

    private DualMtgan(ModelConfig cfg, NDManager manager, long seed) {
        this.cfg = cfg;
        this.manager = manager;
        contentEncoder = ContentEncoder.builder().optConfig(cfg).build();
        boolean kp = cfg.keypointMotion();
        motionEncoder = kp ? null : MotionEncoder.builder().optConfig(cfg).build();
        generator = kp ? null : Generator.builder().optConfig(cfg).build();
        keypointEncoder = kp ? new KeypointEncoder(cfg) : null;
        keypointGenerator = kp ? new KeypointGenerator(cfg) : null;
        // Keypoint mode: R(z, kp^1) -> displacements (2K per frame), z and kp^1 its input at every step.
        motionDecoder = kp
                ? MotionDecoder.builder().setMotionDim(cfg.motionDim + 2 * cfg.keypoints).setMotionCodeDim(2 * cfg.keypoints)
                        .setHidden(cfg.trajectoryHidden).setFrames(cfg.frames).build()
                : MotionDecoder.builder().optConfig(cfg).build();
        imageDiscriminator = ImageDiscriminator.builder().optConfig(cfg).build();
        videoDiscriminator = kp ? null : VideoDiscriminator.builder().optConfig(cfg).build();
        Block[] blocks = {contentEncoder, kp ? keypointEncoder : motionEncoder, motionDecoder, kp ? keypointGenerator : generator,
                imageDiscriminator, videoDiscriminator};
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i] != null) ModelBlock.collectParameters(blocks[i], NETWORKS.get(i), all);
        }
        for (Map.Entry<String, Parameter> e : all.entrySet()) {
            Parameter p = e.getValue();
            boolean zero = e.getKey().startsWith("G." + Generator.ZERO_INIT)
                    || (kp && KeypointGenerator.ZERO_INIT.stream().anyMatch(z -> e.getKey().startsWith("G." + z)));
            p.setInitializer(zero ? new ai.djl.training.initializer.ConstantInitializer(0f)
                    : new SeededInitializer(mix(seed, e.getKey()), p.getType()));
            p.initialize(manager, DataType.FLOAT32);
        }
    }

    /**
     * Builds the networks of {@code cfg} with parameters owned by {@code manager}, initialised
     * from {@code seed} through Java's {@link SplittableRandom} (same seed, same model): weights
     * uniform in +-1/sqrt(fan_in) (PyTorch's default), biases 0, norm scales 1. Throws
     * {@link InvalidInputException} for an invalid config.
     */
    public static DualMtgan create(ModelConfig cfg, NDManager manager, long seed) {
        cfg.validate();
        return new DualMtgan(cfg.copy(), manager, seed);
    }

    /** The config this model was built from (a copy; changing it changes nothing). */
    public ModelConfig config() {
        return cfg.copy();
    }

    /** The manager owning parameters and state. */
    public NDManager manager() {
        return manager;
    }

    public ContentEncoder contentEncoder() {
        return contentEncoder;
    }

    /** E_M of the per-clip latent; null in keypoint mode ({@link #keypointEncoder()}). */
    public MotionEncoder motionEncoder() {
        return motionEncoder;
    }

    /** E_M in keypoint mode; null in latent mode. */
    public KeypointEncoder keypointEncoder() {
        return keypointEncoder;
    }

    /** G in keypoint mode; null in latent mode. */
    public KeypointGenerator keypointGenerator() {
        return keypointGenerator;
    }

    /** Whether the motion code is the keypoint one (ModelConfig.motion). */
    public boolean keypointMotion() {
        return keypointEncoder != null;
    }

    public MotionDecoder motionDecoder() {
        return motionDecoder;
    }

    /** G of the per-clip latent; null in keypoint mode ({@link #keypointGenerator()}). */
    public Generator generator() {
        return generator;
    }

    public ImageDiscriminator imageDiscriminator() {
        return imageDiscriminator;
    }

    public VideoDiscriminator videoDiscriminator() {
        return videoDiscriminator;
    }

    public FrameSampler frameSampler() {
        return frameSampler;
    }

    /** Trainable parameters of one side by stable name, e.g. {@code E_C.trunk.conv1.weight}. */
    public Map<String, NDArray> parameters(Side side) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : all.entrySet()) {
            if (e.getValue().requiresGradient() && sideOf(e.getKey()) == side) out.put(e.getKey(), e.getValue().getArray());
        }
        return out;
    }

    /** Trainable parameters of one network ("E_C", "E_M", "R", "G", "D_I", "D_V"). */
    public Map<String, NDArray> parameters(String network) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : all.entrySet()) {
            if (e.getValue().requiresGradient() && networkOf(e.getKey()).equals(network)) out.put(e.getKey(), e.getValue().getArray());
        }
        return out;
    }

    /** Non-trainable state (spectral-norm {@code .u} vectors), skipped by optimizers, kept in checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : all.entrySet()) {
            if (!e.getValue().requiresGradient()) out.put(e.getKey(), e.getValue().getArray());
        }
        return out;
    }

    /** Trainable parameters of both sides plus {@link #state()}: everything a checkpoint must hold. */
    public Map<String, NDArray> allParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : all.entrySet()) out.put(e.getKey(), e.getValue().getArray());
        return out;
    }

    /** Number of trainable scalars per network: E_C, E_M, R, G, D_I, D_V (in that order; D_V 0 in keypoint mode). */
    public Map<String, Long> parameterCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String n : NETWORKS) out.put(n, 0L);
        for (Map.Entry<String, Parameter> e : all.entrySet()) {
            if (e.getValue().requiresGradient()) out.merge(networkOf(e.getKey()), e.getValue().getShape().size(), Long::sum);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The network a parameter name belongs to: its first segment. */
    static String networkOf(String name) {
        return name.substring(0, name.indexOf('.'));
    }

    static Side sideOf(String name) {
        String n = networkOf(name);
        return n.startsWith("D_") ? Side.DISCRIMINATOR : Side.GENERATOR;
    }

    /**
     * Copies {@code arrays} (as from {@link #allParameters()}) into this model. The names must be
     * exactly those of {@link #allParameters()}, with the same shapes; otherwise throws
     * {@link InvalidInputException} naming the first mismatch, and nothing is changed.
     */
    public void loadParameters(Map<String, NDArray> arrays) {
        for (Map.Entry<String, Parameter> e : all.entrySet()) {
            NDArray given = arrays.get(e.getKey());
            Shape expected = e.getValue().getShape();
            if (given == null) {
                throw new InvalidInputException("checkpoint lacks " + e.getKey() + " " + expected + " that the model expects");
            }
            if (!given.getShape().equals(expected)) {
                throw new InvalidInputException("checkpoint has " + e.getKey() + " " + given.getShape()
                        + ", model expects " + expected);
            }
            if (!given.getDataType().isFloating()) {
                throw new InvalidInputException("checkpoint has " + e.getKey() + " of type " + given.getDataType() + ", model expects floats");
            }
        }
        for (String name : arrays.keySet()) {
            if (!all.containsKey(name)) throw new InvalidInputException("checkpoint has " + name + " which the model lacks");
        }
        for (Map.Entry<String, Parameter> e : all.entrySet()) {
            NDArray given = arrays.get(e.getKey());
            if (given.getDataType() == DataType.FLOAT32) {
                e.getValue().getArray().set(given.toFloatArray());
            } else {
                try (NDArray f = given.toType(DataType.FLOAT32, false)) {
                    e.getValue().getArray().set(f.toFloatArray());
                }
            }
        }
    }

    /** Temporarily attaches every parameter to {@code scope}, so that arrays derived from them are freed with it. */
    void tempAttachTo(NDManager scope) {
        for (Parameter p : all.values()) scope.tempAttachAll(p.getArray());
    }

    // ---- Inference (no gradient). ----

    /** G(E_C(x^1), m(V)): the video rebuilt from its first frame and its own motion. */
    public NDArray reconstruct(NDArray video) {
        checkVideo("video", video);
        return infer(video, new NDArray[] {video}, scope -> {
            NDArray first = video.get(":, 0");
            return render(first, drivingMotion(video, null), false);
        });
    }

    /**
     * Deterministic motion transfer: {@code image}'s content with {@code drivingVideo}'s motion, as
     * many frames as the driving video. Latent motion: G(E_C(y), R(mu(E_M(V)))), one latent for the
     * whole driving video. Keypoint motion, relative mode: the image's keypoints plus the driving
     * keypoints' displacements from the driving video's first frame.
     */
    public NDArray transfer(NDArray image, NDArray drivingVideo) {
        return transfer(image, drivingVideo, false);
    }

    /**
     * As {@link #transfer(NDArray, NDArray)}; with {@code absolute} (keypoint motion only) the
     * driving keypoints themselves are used (their displacement from the image's keypoints), which
     * carries the driving person's shape and placement too; relative mode carries only the motion.
     */
    public NDArray transfer(NDArray image, NDArray drivingVideo, boolean absolute) {
        checkImage("image", image);
        checkVideo("driving video", drivingVideo);
        sameBatch(image, drivingVideo);
        return infer(image, new NDArray[] {image, drivingVideo}, scope ->
                render(image, drivingMotion(drivingVideo, absolute ? image : null), false));
    }

    /**
     * Per-frame motion codes (B, T, motionCodeDim) of driving videos (B, T, 3, S, S). Latent motion:
     * R(mu(E_M(V))). Keypoint motion: kp(V^t) - kp(V^1) (relative mode), or, given {@code images}
     * (B, 3, S, S), kp(V^t) - kp(image) (absolute mode). Codes are what {@link #generate} reads.
     */
    public NDArray motionCodes(NDArray drivingVideo, NDArray images) {
        checkVideo("driving video", drivingVideo);
        if (images != null) {
            checkImage("image", images);
            sameBatch(images, drivingVideo);
        }
        NDArray[] in = images == null ? new NDArray[] {drivingVideo} : new NDArray[] {drivingVideo, images};
        return infer(drivingVideo, in, scope -> drivingMotion(drivingVideo, images));
    }

    /** Keypoints of images (N, 3, S, S): (N, K, 2), (x, y) in [-1, 1] (keypoint motion only). */
    public NDArray detectKeypoints(NDArray images) {
        requireKeypoints("keypoint detection");
        checkImage("image", images);
        return infer(images, new NDArray[] {images}, scope -> detect(images, false));
    }

    /** Stochastic generation G(E_C(image), R(z)) for {@code frames} frames; z is (B, latentDim()). */
    public NDArray sample(NDArray image, NDArray z, int frames) {
        checkImage("image", image);
        Shape zs = z.getShape();
        if (zs.dimension() != 2 || zs.get(1) != cfg.motionDim || zs.get(0) != image.getShape().get(0)) {
            throw new InvalidInputException("motion latent z has shape " + zs + ", model expects ("
                    + image.getShape().get(0) + ", " + cfg.motionDim + ")");
        }
        if (frames < 1) throw new InvalidInputException("frames must be >= 1, got " + frames);
        return infer(image, new NDArray[] {image, z}, scope ->
                render(image, decode(z.toType(DataType.FLOAT32, false), frames, image), false));
    }

    /** E_M's posterior of each video, mu and log sigma^2 side by side: (B, 2 * latentDim()). */
    public NDArray encodePosterior(NDArray video) {
        checkVideo("video", video);
        return infer(video, new NDArray[] {video}, scope -> {
            NDList q = posterior(video);
            return q.get(0).concat(q.get(1), 1);
        });
    }

    /** The posterior mean mu of E_M for each video: (B, latentDim()). */
    public NDArray encodeMotion(NDArray video) {
        checkVideo("video", video);
        return infer(video, new NDArray[] {video}, scope -> posterior(video).get(0));
    }

    /**
     * R(z) for {@code frames} steps: per-frame motion codes (B, frames, motionCodeDim) from z
     * (B, latentDim()). Keypoint motion decodes displacements from a conditioning image's
     * keypoints: use {@link #decodeMotion(NDArray, int, NDArray)}.
     */
    public NDArray decodeMotion(NDArray z, int frames) {
        return decodeMotion(z, frames, null);
    }

    /**
     * R(z) for {@code frames} steps, conditioned on {@code images} (B, 3, S, S) in keypoint mode:
     * R(z, kp(image)) gives displacements from the image's keypoints. Latent motion ignores images.
     */
    public NDArray decodeMotion(NDArray z, int frames, NDArray images) {
        Shape zs = z.getShape();
        if (zs.dimension() != 2 || zs.get(1) != cfg.motionDim) {
            throw new InvalidInputException("motion latent z has shape " + zs + ", model expects (B, " + cfg.motionDim + ")");
        }
        if (frames < 1) throw new InvalidInputException("frames must be >= 1, got " + frames);
        NDArray img = conditioning(images, zs.get(0));
        NDArray[] in = img == null ? new NDArray[] {z} : new NDArray[] {z, img};
        return infer(z, in, scope -> decode(z.toType(DataType.FLOAT32, false), frames, img));
    }

    /**
     * R with one latent per step ({@link MotionDecoder#decodeSteps}): {@code zSteps} (B, T, latentDim())
     * -> motion codes (B, T, motionCodeDim). Used for few-frame conditioning (posterior of the observed
     * prefix for the first k steps, prior draws after, one recurrent state throughout).
     */
    public NDArray decodeMotionSteps(NDArray zSteps) {
        return decodeMotionSteps(zSteps, null);
    }

    /** As {@link #decodeMotionSteps(NDArray)}, conditioned on {@code images} in keypoint mode (see {@link #decodeMotion(NDArray, int, NDArray)}). */
    public NDArray decodeMotionSteps(NDArray zSteps, NDArray images) {
        Shape zs = zSteps.getShape();
        if (zs.dimension() != 3 || zs.get(1) < 1 || zs.get(2) != cfg.motionDim) {
            throw new InvalidInputException("motion latents have shape " + zs + ", model expects (B, T, " + cfg.motionDim + ")");
        }
        NDArray img = conditioning(images, zs.get(0));
        NDArray[] in = img == null ? new NDArray[] {zSteps} : new NDArray[] {zSteps, img};
        return infer(zSteps, in, scope -> {
            NDArray steps = zSteps.toType(DataType.FLOAT32, false);
            if (img == null) return motionDecoder.decodeSteps(steps, false);
            NDArray first = detect(img, false).reshape(zs.get(0), -1);
            NDArray cond = first.expandDims(1).broadcast(new Shape(zs.get(0), zs.get(1), first.getShape().get(1)));
            return motionDecoder.decodeSteps(unwhiten(steps, first).concat(cond, 2), false);
        });
    }

    /**
     * q(z | d, kp^1) of keypoint trajectories given as their first keypoints (B, 2K) and displacements
     * (B, T, 2K) (keypoint motion): (mu, log sigma^2), each (B, latentDim()).
     */
    public NDList trajectoryPosterior(NDArray first, NDArray displacements) {
        requireKeypoints("the trajectory posterior");
        return whitened(first, keypointEncoder.posterior(first, displacements, false));
    }

    /** R(z, kp^1): displacements (B, frames, 2K) from latents (B, latentDim()) and first keypoints (B, 2K) (keypoint motion). */
    public NDArray decodeTrajectory(NDArray z, NDArray first, int frames) {
        requireKeypoints("trajectory decoding");
        return motionDecoder.decode(unwhiten(z, first).concat(first, 1), frames, false);
    }

    /** G(E_C(image), m): frames (B, T, 3, S, S) from per-frame motion codes m (B, T, motionCodeDim). */
    public NDArray generate(NDArray image, NDArray motionCodes) {
        checkImage("image", image);
        Shape ms = motionCodes.getShape();
        if (ms.dimension() != 3 || ms.get(0) != image.getShape().get(0) || ms.get(1) < 1 || ms.get(2) != cfg.motionCodeDim) {
            throw new InvalidInputException("motion codes have shape " + ms + ", model expects ("
                    + image.getShape().get(0) + ", T, " + cfg.motionCodeDim + ")");
        }
        return infer(image, new NDArray[] {image, motionCodes}, scope ->
                render(image, motionCodes.toType(DataType.FLOAT32, false), false));
    }

    // ---- The forward passes both modes share (inference and training). ----

    /** Keypoints (N, K, 2) of frames (N, 3, S, S), in chunks of {@link #DETECT_CHUNK} frames. */
    NDArray detect(NDArray frames, boolean training) {
        long n = frames.getShape().get(0);
        if (training || n <= DETECT_CHUNK) return keypointEncoder.detect(frames, training);
        NDList parts = new NDList();
        for (long from = 0; from < n; from += DETECT_CHUNK) {
            parts.add(keypointEncoder.detect(frames.get(from + ":" + Math.min(n, from + DETECT_CHUNK)), false));
        }
        return ai.djl.ndarray.NDArrays.concat(parts, 0);
    }

    /** Frames a detector pass takes at once at inference (bounds memory for long videos). */
    private static final int DETECT_CHUNK = 64;

    /** Keypoints of a video (B, T, 3, S, S) as (B, T, 2K). */
    private NDArray videoKeypoints(NDArray video) {
        Shape s = video.getShape();
        return detect(video.reshape(s.get(0) * s.get(1), 3, s.get(3), s.get(4)), false).reshape(s.get(0), s.get(1), -1);
    }

    /** Driving codes of a video: latent R(mu), or keypoint displacements (relative, or absolute to {@code images}). */
    private NDArray drivingMotion(NDArray video, NDArray images) {
        if (!keypointMotion()) {
            NDArray mu = motionEncoder.forward(false, video).get(0);
            return motionDecoder.decode(mu, (int) video.getShape().get(1), false);
        }
        NDArray kp = videoKeypoints(video);
        NDArray origin = images == null ? kp.get(":, 0:1") : detect(images, false).reshape(kp.getShape().get(0), 1, -1);
        return kp.sub(origin);
    }

    /** q(z | V): latent E_M, or the keypoint trajectory's posterior. */
    private NDList posterior(NDArray video) {
        if (!keypointMotion()) return motionEncoder.forward(false, video);
        NDArray kp = videoKeypoints(video);
        NDArray first = kp.get(":, 0");
        return whitened(first, keypointEncoder.posterior(first, kp.sub(first.expandDims(1)), false));
    }

    /** R(z) for {@code frames} steps; R(z, kp(images)) in keypoint mode. */
    private NDArray decode(NDArray z, int frames, NDArray images) {
        if (!keypointMotion()) return motionDecoder.decode(z, frames, false);
        NDArray first = detect(images, false).reshape(z.getShape().get(0), -1);
        return motionDecoder.decode(unwhiten(z, first).concat(first, 1), frames, false);
    }

    /**
     * The public latents are standard normal under every prior: with a learned prior p(z | kp^1) a
     * posterior is whitened by it, and a latent e is mapped back to mu_p + sigma_p e before R.
     */
    private NDList whitened(NDArray first, NDList q) {
        return keypointEncoder.learnedPrior() ? KeypointEncoder.whiten(q, keypointEncoder.prior(first, false)) : q;
    }

    private NDArray unwhiten(NDArray e, NDArray first) {
        return keypointEncoder.learnedPrior() ? KeypointEncoder.unwhiten(e, keypointEncoder.prior(first, false)) : e;
    }

    /** G over (B, T) motion codes for images (B, 3, S, S): frames (B, T, 3, S, S). */
    private NDArray render(NDArray image, NDArray codes, boolean training) {
        NDList content = contentEncoder.forward(training, image);
        if (!keypointMotion()) return generator.generate(image, content, codes, training);
        long b = codes.getShape().get(0);
        long t = codes.getShape().get(1);
        NDArray kpSrc = detect(image, training);
        NDArray kpDrv = Keypoints.relative(kpSrc, codes).reshape(b * t, cfg.keypoints, 2);
        NDList perFrame = new NDList();
        for (NDArray a : content) perFrame.add(Generator.perFrame(a, t));
        NDArray frames = keypointGenerator.render(Generator.perFrame(image, t), perFrame,
                Generator.perFrame(kpSrc, t), kpDrv, training).get(0);
        return frames.reshape(b, t, 3, cfg.size, cfg.size);
    }

    private NDArray conditioning(NDArray images, long batch) {
        if (!keypointMotion()) return null;
        if (images == null) {
            throw new InvalidInputException("keypoint motion decodes displacements from an image's keypoints: give the conditioning images");
        }
        checkImage("image", images);
        if (images.getShape().get(0) != batch) {
            throw new InvalidInputException("image batch " + images.getShape().get(0) + " differs from latent batch " + batch);
        }
        return images;
    }

    private void requireKeypoints(String what) {
        if (!keypointMotion()) throw new InvalidInputException(what + " needs a model with motion \"keypoints\"");
    }

    /** Length of the motion latent z. */
    public int latentDim() {
        return cfg.motionDim;
    }

    /** Runs {@code body} in a scope that frees every intermediate; the result goes to {@code owner}'s manager. */
    private NDArray infer(NDArray owner, NDArray[] inputs, Function<NDManager, NDArray> body) {
        NDManager target = owner.getManager();
        for (int attempt = 1; ; attempt++) {
            try (NDManager scope = manager.newSubManager()) {
                tempAttachTo(scope);
                java.util.Set<NDArray> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                for (NDArray a : inputs) {
                    if (distinct.add(a)) scope.tempAttachAll(a); // attaching one array twice would release it
                }
                NDArray result = body.apply(scope);
                java.util.function.IntPredicate glitch = inferenceGlitch;
                if (glitch != null && glitch.test(attempt)) result = result.mul(Float.NaN);
                // Inference is a pure function of the inputs and the parameters, so a non-finite
                // result from finite inputs is the engine's rare fault (docs/training.md), not the
                // model's answer: computed again. Seen once on 2026-12-04 in a Spark executor.
                if (attempt < INFER_ATTEMPTS && result.getDataType().isFloating() && !finite(result) && allFinite(inputs)) {
                    org.slf4j.LoggerFactory.getLogger(DualMtgan.class).warn(
                            "non-finite inference output from finite inputs (attempt {} of {}): computing it again", attempt, INFER_ATTEMPTS);
                    continue;
                }
                result.attach(target);
                return result;
            }
        }
    }

    /** Attempts of an inference call whose output is not finite (see {@link #infer}). */
    static final int INFER_ATTEMPTS = 3;

    /** Test hook: when it accepts an attempt number, that attempt's output is made NaN. */
    static volatile java.util.function.IntPredicate inferenceGlitch;

    private static boolean finite(NDArray a) {
        return !a.isNaN().any().getBoolean() && !a.isInfinite().any().getBoolean();
    }

    private static boolean allFinite(NDArray[] inputs) {
        for (NDArray a : inputs) {
            if (a.getDataType().isFloating() && !finite(a)) return false;
        }
        return true;
    }

    private void checkVideo(String what, NDArray v) {
        Shape s = v.getShape();
        if (s.dimension() != 5 || s.get(0) < 1 || s.get(1) < 1 || s.get(2) != 3 || s.get(3) != cfg.size || s.get(4) != cfg.size) {
            throw new InvalidInputException(what + " has shape " + s + ", model expects (B, T, 3, " + cfg.size + ", " + cfg.size + ")");
        }
        if (v.getDataType() != DataType.FLOAT32) throw new InvalidInputException(what + " has type " + v.getDataType() + ", model expects float32");
    }

    private void checkImage(String what, NDArray v) {
        Shape s = v.getShape();
        if (s.dimension() != 4 || s.get(0) < 1 || s.get(1) != 3 || s.get(2) != cfg.size || s.get(3) != cfg.size) {
            throw new InvalidInputException(what + " has shape " + s + ", model expects (B, 3, " + cfg.size + ", " + cfg.size + ")");
        }
        if (v.getDataType() != DataType.FLOAT32) throw new InvalidInputException(what + " has type " + v.getDataType() + ", model expects float32");
    }

    private static void sameBatch(NDArray a, NDArray b) {
        if (a.getShape().get(0) != b.getShape().get(0)) {
            throw new InvalidInputException("image batch " + a.getShape().get(0) + " differs from video batch " + b.getShape().get(0));
        }
    }

    /** Closes the parameter arrays (the manager itself belongs to the caller). */
    @Override
    public void close() {
        for (Parameter p : all.values()) p.close();
    }

    /** A per-parameter seed from the model seed and the parameter's name. */
    public static long mix(long seed, String name) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) h = (h ^ name.charAt(i)) * 0x100000001B3L;
        return new SplittableRandom(h).nextLong();
    }

    /** Seeded initialisation, drawn in Java so that it does not depend on the engine's RNG. */
    static final class SeededInitializer implements Initializer {
        private final long seed;
        private final Parameter.Type type;

        SeededInitializer(long seed, Parameter.Type type) {
            this.seed = seed;
            this.type = type;
        }

        @Override
        public NDArray initialize(NDManager m, Shape shape, DataType dataType) {
            int n = Math.toIntExact(shape.size());
            float[] v = new float[n];
            SplittableRandom r = new SplittableRandom(seed);
            switch (type) {
                case WEIGHT -> {
                    double bound = 1.0 / Math.sqrt((double) n / shape.get(0));
                    for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
                }
                case GAMMA -> java.util.Arrays.fill(v, 1f);
                case OTHER -> {
                    // Spectral-norm u: a random unit vector.
                    double norm = 0;
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) r.nextGaussian();
                        norm += v[i] * v[i];
                    }
                    float inv = (float) (1 / Math.sqrt(Math.max(norm, 1e-12)));
                    for (int i = 0; i < n; i++) v[i] *= inv;
                }
                default -> { } // biases and shifts start at 0
            }
            // An array made from Java data aliases a direct buffer that is freed once that array
            // object is collected, and a same-type toType would alias it too: the parameter must
            // own its memory, or a later garbage collection hands it to someone else.
            NDArray view = m.create(v, shape);
            NDArray owned = view.getDataType() == dataType ? view.duplicate() : view.toType(dataType, false);
            view.close();
            return owned;
        }
    }

    /** E_C's output of {@code frames} (N, 3, S, S), for callers outside this package's training code. */
    NDList encodeContent(NDArray frames, boolean training) {
        return contentEncoder.forward(training, frames);
    }
}
