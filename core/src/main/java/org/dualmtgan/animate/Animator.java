package org.dualmtgan.animate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.Preprocess;
import org.dualmtgan.media.Video;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.run.ModelSummary;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The library's front door for synthesis with a trained Dual-MTGAN (METHOD.md, Inference).
 *
 * <pre>{@code
 * try (Animator model = Animator.load("weizmann-64")) {          // a bundled name or a checkpoint path
 *     Video y = MediaReader.readImageAsVideo(Path.of("person.png"));
 *     Video v = MediaReader.readVideo(Path.of("wave.mp4"));
 *     Video moved = model.transfer(y, v);                          // y's content, v's motion
 *     List<Video> samples = model.generate(y, 8, 42);              // 8 new motions, seed 42
 *     List<Video> long64 = model.generate(y, 2, 42, 64);           // any length (recurrent R)
 * }
 * }</pre>
 *
 * <p><b>Inputs.</b> Videos are {@link Video}s in [0, 1]; an image is a one-frame video (or a
 * {@link BufferedImage}). Any size and aspect ratio is accepted and brought to the model's
 * {@code size x size} by the media package's policy, {@link Preprocess#forModel} (centre square
 * crop, area resize); all frames are kept. Outputs are {@code size x size} videos in [0, 1] at the
 * frame rate of the driving (or given) video. An empty video, non-finite pixel values or bad
 * counts throw {@link InvalidInputException}.
 *
 * <p><b>Lengths.</b> A driving video of at most T frames (the model's training length,
 * {@link #clipLength()}) is encoded as one clip: {@code G(E_C(y), R(mu(E_M(V))))}. A longer one is
 * encoded in overlapping windows of T frames, each relative to the driving video's first frame,
 * whose per-frame motion codes are blended over the overlaps (see {@code MotionWindows}); the
 * output has the driving video's length. Generation of any length unrolls the recurrent motion
 * decoder R for the frames asked for.
 *
 * <p><b>Randomness.</b> Generation draws each motion latent {@code z_i ~ N(0, I)} from a Java
 * {@link SplittableRandom} seeded with the given seed, sample after sample, never from the engine:
 * the same seed gives the same videos, and the first m samples of a request for n > m are those of a
 * request for m.
 *
 * <p><b>Threads.</b> Safe for concurrent callers on one instance. The model's inference attaches its
 * parameters to a per-call memory scope ({@code DualMtgan.infer}), which concurrent calls would
 * race on, so engine work is serialized by one lock per instance; input preprocessing and output
 * conversion run outside it. The engine itself uses all cores for each call. Load one instance per
 * thread for parallel inference.
 */
public final class Animator implements AutoCloseable {
    /**
     * Samples (or interpolation steps) per engine batch. One: oneDNN's AVX-512 kernels round
     * differently at different batch sizes (a pixel value of sample 0 moved by 1/255 between n = 1
     * and n = 3), and sample i of a request for n must equal sample i of a request for more. G
     * still sees a batch of T frames per call, so the cost of going one sample at a time is small.
     */
    static final int SAMPLE_BATCH = 1;
    /** Frames per generator pass: bounds memory for long outputs (G runs frame by frame). */
    static final int FRAME_CHUNK = 64;
    /** Driving windows per motion-encoder pass. */
    static final int WINDOW_BATCH = 8;
    /** Most samples, interpolation steps or frames one call may ask for. */
    public static final int MAX_COUNT = 4096;

    private final NDManager manager;
    private final DualMtgan model;
    private final ModelConfig cfg;
    private final CheckpointInfo info;
    private final Path source;
    private final Preprocess preprocess;
    private final ReentrantLock lock = new ReentrantLock();
    /** The progress listener of the calling thread ({@link #withProgress}), with the current call's counts. */
    private static final ThreadLocal<Tracker> PROGRESS = new ThreadLocal<>();
    /** Whether {@link #close} frees the model (false for a {@link #view}). */
    private final boolean owner;
    private boolean closed;

    private Animator(NDManager manager, DualMtgan model, CheckpointInfo info, Path source) {
        this(manager, model, info, source, true);
    }

    private Animator(NDManager manager, DualMtgan model, CheckpointInfo info, Path source, boolean owner) {
        this.owner = owner;
        this.manager = manager;
        this.model = model;
        this.cfg = model.config();
        this.info = info;
        this.source = source;
        this.preprocess = Preprocess.forModel(cfg.size);
    }

    // ---- Loading. ----

    /**
     * Loads a model by bundled name or by path. A string that names an existing file or folder is a
     * path; otherwise a plain name (letters, digits, {@code . _ -}) is looked up among the bundled
     * models ({@link #bundled()}): {@code models/NAME/model.ckpt} in the working tree, then in the
     * jar's resources. An unknown name throws {@link InvalidInputException} listing the known ones.
     */
    public static Animator load(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) throw new InvalidInputException("no model given");
        Path asPath;
        try {
            asPath = Path.of(nameOrPath);
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidInputException("model '" + nameOrPath + "' is neither a path nor a name: " + e.getReason());
        }
        if (Files.exists(asPath) || !BundledModels.looksLikeName(nameOrPath)) return load(asPath);
        Path file = BundledModels.workingTreeFile(nameOrPath);
        if (file != null) return loadFile(file, Device.cpu());
        URL url = BundledModels.resource(nameOrPath);
        if (url == null) throw BundledModels.unknown(nameOrPath);
        Path local = BundledModels.asLocalFile(url);
        if (local != null) return loadFile(local, Device.cpu());
        Path tmp;
        try {
            tmp = BundledModels.copyToTemp(url);
        } catch (IOException e) {
            throw new InvalidInputException("bundled model '" + nameOrPath + "' cannot be read: " + e.getMessage());
        }
        try {
            return loadFile(tmp, Device.cpu());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // A temporary file left behind is harmless.
            }
        }
    }

    /**
     * Loads a checkpoint on the CPU: a training checkpoint ({@code dualmtgan train}), an inference
     * export ({@code dualmtgan model export}), a run folder (its latest checkpoint) or a bundled
     * model's folder (its {@code model.ckpt}). A missing, truncated, corrupt or foreign file, or one
     * of another architecture, throws {@link InvalidInputException} naming it.
     */
    public static Animator load(Path path) {
        return load(path, Device.cpu());
    }

    /** As {@link #load(Path)}, on {@code device}. */
    public static Animator load(Path path, Device device) {
        if (path == null) throw new InvalidInputException("no model path given");
        Path file;
        if (Files.isDirectory(path)) {
            Path inside = path.resolve(BundledModels.FILE);
            if (Files.isRegularFile(inside)) {
                file = inside;
            } else {
                try {
                    file = ModelSummary.resolve(path);
                } catch (IOException e) {
                    throw new InvalidInputException(path, "cannot list the run folder: " + e.getMessage(), e);
                }
            }
        } else if (!Files.exists(path)) {
            throw new InvalidInputException(path, "model file not found");
        } else {
            file = path;
        }
        return loadFile(file, device);
    }

    /** An untrained model of {@code cfg} with weights drawn from {@code seed} (timings, tests). */
    public static Animator create(ModelConfig cfg, long seed) {
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try {
            return new Animator(manager, DualMtgan.create(cfg, manager, seed), null, null);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /**
     * An Animator over a model someone else owns, such as the one a training run is updating (the
     * held-out evaluation during training): its calls see the parameters as they are at the time,
     * and {@link #close} leaves the model open. {@code info} may be null.
     */
    public static Animator view(DualMtgan model, CheckpointInfo info) {
        return new Animator(model.manager(), model, info, null, false);
    }

    /** Names of the bundled models ({@code models/NAME/model.ckpt} in the working tree or the jar), sorted. */
    public static List<String> bundled() {
        return BundledModels.names();
    }

    private static Animator loadFile(Path file, Device device) {
        CheckpointInfo info = Checkpoint.readInfo(file);
        boolean inference = CheckpointInfo.KIND_INFERENCE.equals(info.kind);
        if (!inference && !CheckpointInfo.KIND_TRAINING.equals(info.kind)) {
            throw new InvalidInputException(file, "unknown checkpoint kind '" + info.kind + "'");
        }
        try {
            info.config.model.validate();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file, "checkpoint holds an invalid config: " + e.getMessage(), e);
        }
        NDManager manager = NDManager.newBaseManager(device);
        DualMtgan model = null;
        try {
            model = DualMtgan.create(info.config.model, manager, 0);
            try (Checkpoint ckpt = Checkpoint.load(file, manager)) {
                Map<String, NDArray> loaded = ckpt.parameters();
                // An inference export holds the generator side only; D_I and D_V keep their initial values.
                Map<String, NDArray> expected = inference ? model.parameters(DualMtgan.Side.GENERATOR) : model.allParameters();
                Checkpoint.requireSameArchitecture(file, loaded, expected);
                Map<String, NDArray> merged = new LinkedHashMap<>(model.allParameters());
                merged.putAll(loaded);
                try {
                    model.loadParameters(merged);
                } catch (InvalidInputException e) {
                    throw new InvalidInputException(file, e.getMessage(), e);
                }
            }
            return new Animator(manager, model, info, file);
        } catch (RuntimeException | Error e) {
            if (model != null) model.close();
            manager.close();
            throw e;
        }
    }

    // ---- Facts. ----

    /** The model's config (a copy). */
    public ModelConfig config() {
        return cfg.copy();
    }

    /** Frame size S of the model's input and output (S x S). */
    public int size() {
        return cfg.size;
    }

    /** T, the clip length the model was trained on (the default length of generated videos). */
    public int clipLength() {
        return cfg.frames;
    }

    /** Length of the motion latent z. */
    public int latentDim() {
        return cfg.motionDim;
    }

    /** The checkpoint's header (provenance), or null for a model made by {@link #create}. */
    public CheckpointInfo info() {
        return info;
    }

    /** The file the model was loaded from, or null. */
    public Path source() {
        return source;
    }

    // ---- Progress. ----

    /**
     * Receives the frames a synthesis call has rendered so far and how many it renders in all, after
     * each chunk of engine work (one video, up to 64 frames of it). It may throw an
     * unchecked exception (for example {@link java.util.concurrent.CancellationException}) to stop
     * the call between chunks.
     */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(long framesDone, long framesTotal);
    }

    private static final class Tracker {
        final ProgressListener listener;
        long done;
        long total;

        Tracker(ProgressListener listener) {
            this.listener = listener;
        }
    }

    /**
     * Runs {@code work} on this thread with {@code listener} told of the progress of every synthesis
     * call it makes on any Animator (transfer, reconstruct, generate, sample, interpolate). Results
     * are the same as without a listener.
     */
    public static <T> T withProgress(ProgressListener listener, java.util.function.Supplier<T> work) {
        Tracker before = PROGRESS.get();
        PROGRESS.set(new Tracker(listener));
        try {
            return work.get();
        } finally {
            if (before == null) PROGRESS.remove();
            else PROGRESS.set(before);
        }
    }

    /** A synthesis call starts: {@code total} frames to render. */
    private static void begin(long total) {
        Tracker t = PROGRESS.get();
        if (t == null) return;
        t.done = 0;
        t.total = total;
        t.listener.progress(0, total);
    }

    private static void rendered(long frames) {
        Tracker t = PROGRESS.get();
        if (t == null) return;
        t.done += frames;
        t.listener.progress(t.done, Math.max(t.total, t.done));
    }

    // ---- Deterministic motion transfer. ----

    /**
     * {@code image}'s content with {@code drivingVideo}'s motion: {@code G(E_C(y), R(mu(E_M(V))))},
     * as many frames as the driving video (windows beyond T frames; see the class comment). A
     * multi-frame {@code image} contributes its first frame.
     */
    public Video transfer(Video image, Video drivingVideo) {
        return transfer(image, drivingVideo, false);
    }

    /**
     * As {@link #transfer(Video, Video)}. Keypoint motion transfers in relative mode by default (the
     * image's keypoints plus the driving keypoints' displacements from the driving video's first
     * frame: the motion without the driving person's shape); {@code absolute} places the image's
     * keypoints where the driving video's are (for a driving video framed like the image, e.g. the
     * same person). Latent motion has one mode and refuses {@code absolute}.
     */
    public Video transfer(Video image, Video drivingVideo, boolean absolute) {
        if (absolute && !model.keypointMotion()) {
            throw new InvalidInputException("absolute transfer needs a model with motion \"keypoints\"; this one has a per-clip latent");
        }
        Video y = prepare("image", image).frame(0);
        Video v = prepare("driving video", drivingVideo);
        begin(v.frames());
        return withModel(m -> {
            NDArray img = y.toNDArray(m);
            NDArray codes = absolute ? model.motionCodes(v.toNDArray(m).expandDims(0), img) : drivingCodes(m, v);
            return render(m, img, codes, v.fps()).get(0);
        });
    }

    public Video transfer(BufferedImage image, Video drivingVideo) {
        return transfer(ofImage(image), drivingVideo);
    }

    /** The video rebuilt from its first frame and its own motion: {@code transfer(video.frame(0), video)}. */
    public Video reconstruct(Video video) {
        Video v = prepare("video", video);
        begin(v.frames());
        return withModel(m -> render(m, v.frame(0).toNDArray(m), drivingCodes(m, v), v.fps()).get(0));
    }

    /** E_M's posterior mean for {@code clip} (all its frames as one clip): a motion latent of {@link #latentDim()}. */
    public float[] encodeMotion(Video clip) {
        Video v = prepare("clip", clip);
        return withModel(m -> model.encodeMotion(v.toNDArray(m).expandDims(0)).toFloatArray());
    }

    // ---- Stochastic generation. ----

    /** {@code n} videos of T frames: {@link #generate(Video, int, long, int)} with {@code frames = T}. */
    public List<Video> generate(Video image, int n, long seed) {
        return generate(image, n, seed, Math.max(cfg.frames, image == null ? 0 : image.frames()));
    }

    /**
     * {@code n} videos of {@code frames} frames with {@code image}'s content and sampled motion,
     * reproducible from {@code seed}. A one-frame {@code image} gives {@code G(E_C(y), R(z_i))}. A
     * video of k &gt;= 2 frames conditions on them (few-frame generation): content from its first
     * frame; R reads the posterior mean of the k given frames for the first k steps and then the
     * sample's prior draw {@code z_i}, continuing from the state it reached, so every sample starts
     * with the given motion and diverges after it. {@code frames} must be at least k.
     */
    public List<Video> generate(Video image, int n, long seed, int frames) {
        Video given = prepare("image", image);
        count("samples", n);
        count("frames", frames);
        int k = given.frames();
        if (frames < k) {
            throw new InvalidInputException("frames (" + frames + ") must be at least the number of given frames (" + k + ")");
        }
        float[][] z = latents(seed, n, cfg.motionDim);
        begin((long) n * frames);
        return withModel(m -> {
            NDArray y = given.frame(0).toNDArray(m);
            float[] prefix = k >= 2 ? model.encodeMotion(given.toNDArray(m).expandDims(0)).toFloatArray() : null;
            List<Video> out = new ArrayList<>(n);
            for (int from = 0; from < n; from += SAMPLE_BATCH) {
                int b = Math.min(SAMPLE_BATCH, n - from);
                try (NDManager chunk = m.newSubManager()) {
                    NDArray codes;
                    if (prefix == null) {
                        codes = model.decodeMotion(chunk.create(rows(z, from, b), new Shape(b, cfg.motionDim)), frames, y.repeat(0, b));
                    } else {
                        codes = model.decodeMotionSteps(chunk.create(conditionedSteps(prefix, z, from, b, k, frames),
                                new Shape(b, frames, cfg.motionDim)), y.repeat(0, b));
                    }
                    out.addAll(render(chunk, y.repeat(0, b), codes, given.fps()));
                }
            }
            return out;
        });
    }

    public List<Video> generate(BufferedImage image, int n, long seed) {
        return generate(ofImage(image), n, seed);
    }

    public List<Video> generate(BufferedImage image, int n, long seed, int frames) {
        return generate(ofImage(image), n, seed, frames);
    }

    /**
     * {@code G(E_C(y), R(z_i))} for given motion latents (each of {@link #latentDim()} values), one
     * video of {@code frames} frames per latent.
     */
    public List<Video> sample(Video image, float[][] latents, int frames) {
        Video y = prepare("image", image).frame(0);
        if (latents == null || latents.length == 0) throw new InvalidInputException("no motion latents given");
        count("latents", latents.length);
        count("frames", frames);
        for (float[] z : latents) {
            if (z == null || z.length != cfg.motionDim) {
                throw new InvalidInputException("a motion latent has " + (z == null ? 0 : z.length) + " values, the model expects " + cfg.motionDim);
            }
            for (float f : z) if (!Float.isFinite(f)) throw new InvalidInputException("a motion latent holds a non-finite value");
        }
        begin((long) latents.length * frames);
        return withModel(m -> {
            NDArray img = y.toNDArray(m);
            List<Video> out = new ArrayList<>(latents.length);
            for (int from = 0; from < latents.length; from += SAMPLE_BATCH) {
                int b = Math.min(SAMPLE_BATCH, latents.length - from);
                try (NDManager chunk = m.newSubManager()) {
                    NDArray codes = model.decodeMotion(chunk.create(rows(latents, from, b), new Shape(b, cfg.motionDim)), frames, img.repeat(0, b));
                    out.addAll(render(chunk, img.repeat(0, b), codes, y.fps()));
                }
            }
            return out;
        });
    }

    // ---- Interpolation. ----

    /**
     * {@code steps} videos whose motion blends two motions: {@code z = a z_A + (1 - a) z_B} with
     * {@code a} from 1 (video 0: motion A) down to 0 (the last: motion B) in equal steps, where z_A
     * and z_B are E_M's posterior means of the first (at most T) frames of each motion video. Each
     * video has the length of the longer of the two encoded clips; the endpoints are the transfers
     * of A and B when both have that length.
     */
    public List<Video> interpolate(Video image, Video motionA, Video motionB, int steps) {
        Video y = prepare("image", image).frame(0);
        Video a = firstClip(prepare("motion A", motionA));
        Video b = firstClip(prepare("motion B", motionB));
        if (steps < 2 || steps > MAX_COUNT) throw new InvalidInputException("steps must be between 2 and " + MAX_COUNT + ", got " + steps);
        int frames = Math.max(a.frames(), b.frames());
        float[][] z = new float[steps][];
        float[][] ends = withModel(m -> new float[][] {
                model.encodeMotion(a.toNDArray(m).expandDims(0)).toFloatArray(),
                model.encodeMotion(b.toNDArray(m).expandDims(0)).toFloatArray()});
        for (int j = 0; j < steps; j++) {
            float alpha = 1f - (float) j / (steps - 1);
            z[j] = new float[cfg.motionDim];
            for (int d = 0; d < cfg.motionDim; d++) z[j][d] = alpha * ends[0][d] + (1f - alpha) * ends[1][d];
        }
        List<Video> videos = sample(y, z, frames);
        List<Video> out = new ArrayList<>(steps);
        for (Video v : videos) out.add(v.withFps(a.fps()));
        return out;
    }

    public List<Video> interpolate(BufferedImage image, Video motionA, Video motionB, int steps) {
        return interpolate(ofImage(image), motionA, motionB, steps);
    }

    /** Frees the model's memory. Later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            if (!owner) return;
            model.close();
            manager.close();
        } finally {
            lock.unlock();
        }
    }

    // ---- Internals. ----

    /** Runs engine work under the lock in a scope freed afterwards. */
    private <T> T withModel(Function<NDManager, T> body) {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("this Animator is closed");
            try (NDManager scope = manager.newSubManager()) {
                return body.apply(scope);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Per-frame motion codes (1, L, D_m) of a driving video: one clip, or blended windows. */
    private NDArray drivingCodes(NDManager m, Video v) {
        int length = v.frames();
        // Keypoint motion is per frame: any length at once, no windows to blend.
        if (model.keypointMotion()) return model.motionCodes(v.toNDArray(m).expandDims(0), null);
        List<MotionWindows.Window> windows = MotionWindows.plan(length, cfg.frames);
        if (windows.size() == 1) {
            return model.decodeMotion(model.encodeMotion(v.toNDArray(m).expandDims(0)), length);
        }
        int dim = cfg.motionCodeDim;
        float[][] codes = new float[windows.size()][];
        for (int from = 0; from < windows.size(); from += WINDOW_BATCH) {
            List<MotionWindows.Window> part = windows.subList(from, Math.min(windows.size(), from + WINDOW_BATCH));
            try (NDManager chunk = m.newSubManager()) {
                NDArray clips = gather(chunk, v, part);
                float[] flat = model.decodeMotion(model.encodeMotion(clips), cfg.frames).toFloatArray();
                int per = cfg.frames * dim;
                for (int w = 0; w < part.size(); w++) {
                    codes[from + w] = java.util.Arrays.copyOfRange(flat, w * per, (w + 1) * per);
                }
            }
        }
        return m.create(MotionWindows.blend(windows, codes, length, dim), new Shape(1, length, dim));
    }

    /** The windows' clips (W, T, 3, S, S) in [-1, 1]. */
    private static NDArray gather(NDManager m, Video v, List<MotionWindows.Window> windows) {
        int fs = v.frameSize();
        int t = windows.get(0).clipFrames().length;
        float[] data = new float[windows.size() * t * fs];
        int pos = 0;
        for (MotionWindows.Window w : windows) {
            for (int f : w.clipFrames()) {
                System.arraycopy(v.data(), f * fs, data, pos, fs);
                pos += fs;
            }
        }
        return m.create(data, new Shape(windows.size(), t, 3, v.height(), v.width())).mul(2f).sub(1f);
    }

    /** G over (B, L) codes in chunks of frames; one video per sample, values in [0, 1]. */
    private List<Video> render(NDManager m, NDArray images, NDArray codes, double fps) {
        int b = (int) codes.getShape().get(0);
        int length = (int) codes.getShape().get(1);
        int s = cfg.size;
        int fs = 3 * s * s;
        float[][] buffers = new float[b][length * fs];
        for (int from = 0; from < length; from += FRAME_CHUNK) {
            int to = Math.min(length, from + FRAME_CHUNK);
            try (NDManager chunk = m.newSubManager()) {
                NDArray part = codes.get(":, " + from + ":" + to);
                NDArray frames = model.generate(images, part);
                frames.attach(chunk);
                float[] flat = frames.add(1f).div(2f).clip(0f, 1f).toFloatArray();
                int n = (to - from) * fs;
                for (int i = 0; i < b; i++) System.arraycopy(flat, i * n, buffers[i], from * fs, n);
                part.close();
            }
            rendered((long) b * (to - from));
        }
        List<Video> out = new ArrayList<>(b);
        for (float[] buf : buffers) out.add(new Video(buf, length, s, s, fps));
        return out;
    }

    /** Brings a user's video to the model: checked, then {@link Preprocess#forModel}'s crop and resize. */
    private Video prepare(String what, Video v) {
        if (v == null) throw new InvalidInputException("no " + what + " given");
        if (v.frames() == 0) throw new InvalidInputException(what + " has no frames");
        for (float f : v.data()) {
            if (!Float.isFinite(f)) throw new InvalidInputException(what + " holds non-finite pixel values");
        }
        return preprocess.applySpatial(v);
    }

    private Video firstClip(Video v) {
        return v.frames() > cfg.frames ? v.slice(0, cfg.frames) : v;
    }

    private static Video ofImage(BufferedImage image) {
        if (image == null) throw new InvalidInputException("no image given");
        return Video.ofImage(image);
    }

    private static void count(String what, int n) {
        if (n < 1 || n > MAX_COUNT) throw new InvalidInputException(what + " must be between 1 and " + MAX_COUNT + ", got " + n);
    }

    /** z_i ~ N(0, I), sample after sample, from a Java generator seeded with {@code seed}. */
    static float[][] latents(long seed, int n, int dim) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] z = new float[n][dim];
        for (float[] row : z) for (int d = 0; d < dim; d++) row[d] = (float) r.nextGaussian();
        return z;
    }

    private static float[] rows(float[][] z, int from, int count) {
        int dim = z[0].length;
        float[] out = new float[count * dim];
        for (int i = 0; i < count; i++) System.arraycopy(z[from + i], 0, out, i * dim, dim);
        return out;
    }

    /** Per-step latents (b, frames, dim): the prefix posterior for steps below k, the sample's z after. */
    private static float[] conditionedSteps(float[] prefix, float[][] z, int from, int b, int k, int frames) {
        int dim = prefix.length;
        float[] out = new float[b * frames * dim];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < frames; t++) {
                System.arraycopy(t < k ? prefix : z[from + i], 0, out, (i * frames + t) * dim, dim);
            }
        }
        return out;
    }
}
