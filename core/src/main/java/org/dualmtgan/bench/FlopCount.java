package org.dualmtgan.bench;

import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.ModelConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiply-adds of the Dual-MTGAN networks counted from their layer shapes (docs/model.md), and the
 * FLOPs of one training step and of the inference calls the benchmark times.
 *
 * <p>Convention: convolutions, dense layers and LSTM steps only (their multiply-adds dominate);
 * norms, activations, upsampling, losses and Adam are elementwise and not counted. One
 * multiply-add is 2 FLOPs. The backward pass of a network that is differentiated costs 2x its
 * forward (input and weight gradients), so a training step is 3x its forward FLOPs (every network
 * call of a step is under a gradient). Inference is forward only.
 *
 * <p>The layer list mirrors the builders of {@code org.dualmtgan.model}; each layer also reports
 * its parameter count, and {@code FlopCountTest} checks those against the real model's
 * {@link DualMtgan#parameterCounts()}, so a change of architecture that is not mirrored here fails.
 */
public final class FlopCount {
    /** One layer: its network, name, trainable parameters and multiply-adds per call of that network. */
    public record Layer(String network, String name, long params, long macs) {}

    /** One network call of a step or an inference: how many items it processes. */
    public record Call(String network, long items, long frames) {}

    private final ModelConfig cfg;

    public FlopCount(ModelConfig cfg) {
        this.cfg = cfg.copy();
    }

    // ---- Per-layer multiply-adds. ----

    /** 2D convolution: n outputs of cout x h x w, each a cin x k x k dot product. */
    static long conv2d(long n, long cin, long cout, long k, long h, long w) {
        return n * cout * h * w * cin * k * k;
    }

    /** 3D convolution: n outputs of cout x t x h x w, each a cin x kt x kh x kw dot product. */
    static long conv3d(long n, long cin, long cout, long kt, long kh, long kw, long t, long h, long w) {
        return n * cout * t * h * w * cin * kt * kh * kw;
    }

    /** Dense layer on n rows. */
    static long dense(long n, long in, long out) {
        return n * in * out;
    }

    /** One LSTM step on n rows: four gates of x W_ih^T + h W_hh^T. */
    static long lstmStep(long n, long in, long hidden) {
        return n * 4 * hidden * (in + hidden);
    }

    /** Channels of encoder level i: width * min(2^i, 8) (DownStack.levelChannels). */
    private int channels(int i) {
        return cfg.width * Math.min(1 << i, 8);
    }

    private int depth() {
        return Integer.numberOfTrailingZeros(cfg.size) - 2;
    }

    // ---- Networks: layers for one call on `items` inputs (frames of `frames` for clip networks). ----

    /** E_C on n frames. */
    public List<Layer> contentEncoder(long n) {
        List<Layer> out = new ArrayList<>();
        downStack("E_C", "trunk", 3, n, out);
        long last = channels(depth() - 1);
        out.add(new Layer("E_C", "content", last * 16 * cfg.contentDim + cfg.contentDim, dense(n, last * 16, cfg.contentDim)));
        return out;
    }

    /** E_M on b clips of t frames: the trunk on (x^t, x^t - x^1) per frame, a dense, an LSTM over t, the posterior. */
    public List<Layer> motionEncoder(long b, long t) {
        List<Layer> out = new ArrayList<>();
        downStack("E_M", "trunk", 6, b * t, out);
        long last = channels(depth() - 1);
        long f = 2L * cfg.motionCodeDim;
        out.add(new Layer("E_M", "feature", last * 16 * f + f, dense(b * t, last * 16, f)));
        out.add(new Layer("E_M", "lstm", 4 * f * f + 4 * f * f + 4 * f, t * lstmStep(b, f, f)));
        out.add(new Layer("E_M", "posterior", f * 2 * cfg.motionDim + 2L * cfg.motionDim, dense(b, f, 2L * cfg.motionDim)));
        return out;
    }

    /** R on b latents unrolled for t steps. */
    public List<Layer> motionDecoder(long b, long t) {
        List<Layer> out = new ArrayList<>();
        long h = 2L * cfg.motionCodeDim;
        long z = cfg.motionDim;
        out.add(new Layer("R", "initial", z * h + h, dense(b, z, h)));
        out.add(new Layer("R", "lstm", 4 * h * z + 4 * h * h + 4 * h, t * lstmStep(b, z, h)));
        out.add(new Layer("R", "output", h * cfg.motionCodeDim + cfg.motionCodeDim, dense(b * t, h, cfg.motionCodeDim)));
        return out;
    }

    /** G for b conditioning images and t frames each (b * t frames through the decoder). */
    public List<Layer> generator(long b, long t) {
        List<Layer> out = new ArrayList<>();
        long n = b * t;
        int depth = depth();
        long deep = channels(depth - 1);
        out.add(new Layer("G", "start", cfg.contentDim * deep * 16 + deep * 16, dense(b, cfg.contentDim, deep * 16)));
        boolean warp = "warp".equals(cfg.decoder);
        if (warp) out.add(new Layer("G", "motion_map", cfg.motionCodeDim * deep * 16 + deep * 16, dense(n, cfg.motionCodeDim, deep * 16)));
        out.add(conv("G", "start_conv", n, (warp ? 3 : 2) * deep, deep, 3, 4));
        out.add(film("start_film", n, deep));
        for (int i = depth - 2; i >= 0; i--) {
            int level = i + 1;
            long res = cfg.size >> (i + 1);
            out.add(conv("G", "up" + level, n, channels(i + 1), channels(i), 3, res));
            out.add(film("up" + level + "_film", n, channels(i)));
            out.add(conv("G", "merge" + level, n, 2L * channels(i), channels(i), 3, res));
            out.add(film("merge" + level + "_film", n, channels(i)));
        }
        out.add(conv("G", "final_up", n, channels(0), channels(0), 3, cfg.size));
        out.add(film("final_film", n, channels(0)));
        out.add(conv("G", "output", n, channels(0), org.dualmtgan.model.Generator.outputChannels(cfg.decoder), 3, cfg.size));
        if (warp) out.add(conv("G", "flow", n, channels(0), 3, 3, cfg.size));
        // The warp's bilinear sampling (4 taps, 3 channels) is about 30 FLOPs a pixel: not counted, under 0.1 % of G.
        return out;
    }

    /** D_I on n (condition, frame) pairs. */
    public List<Layer> imageDiscriminator(long n) {
        List<Layer> out = new ArrayList<>();
        int depth = Integer.numberOfTrailingZeros(cfg.size) - 3;
        long in = 6;
        for (int i = 0; i < depth; i++) {
            out.add(conv("D_I", "conv" + (i + 1), n, in, channels(i), 4, cfg.size >> (i + 1)));
            in = channels(i);
        }
        out.add(conv("D_I", "logits", n, in, 1, 3, cfg.size >> depth));
        return out;
    }

    /** D_V on b clips of t frames (built for the config's T; t must equal it). */
    public List<Layer> videoDiscriminator(long b, long t) {
        List<Layer> out = new ArrayList<>();
        int depth = Integer.numberOfTrailingZeros(cfg.size) - 3;
        long in = 3;
        long tt = t;
        for (int i = 0; i < depth; i++) {
            long st = tt >= 4 ? 2 : 1;
            long kt = st == 2 ? 4 : 3;
            long tOut = (tt + 2 - kt) / st + 1;
            long res = cfg.size >> (i + 1);
            long c = channels(i);
            out.add(new Layer("D_V", "conv" + (i + 1), c * in * kt * 16 + c, conv3d(b, in, c, kt, 4, 4, tOut, res, res)));
            in = c;
            tt = tOut;
        }
        long res = cfg.size >> depth;
        out.add(new Layer("D_V", "logits", in * 27 + 1, conv3d(b, in, 1, 3, 3, 3, tt, res, res)));
        return out;
    }

    private void downStack(String network, String prefix, long inputChannels, long n, List<Layer> out) {
        long in = inputChannels;
        for (int i = 0; i < depth(); i++) {
            long c = channels(i);
            Layer conv = conv(network, prefix + ".conv" + (i + 1), n, in, c, 4, cfg.size >> (i + 1));
            // Instance norm from the second level: an affine gamma and beta per channel, no multiply-adds counted.
            long norm = i == 0 ? 0 : 2 * c;
            out.add(new Layer(network, conv.name(), conv.params() + norm, conv.macs()));
            in = c;
        }
    }

    private static Layer conv(String network, String name, long n, long cin, long cout, long k, long res) {
        return new Layer(network, name, cout * cin * k * k + cout, conv2d(n, cin, cout, k, res, res));
    }

    /** AdaIN's dense from the motion code m^t to (gamma, beta), once per frame. */
    private Layer film(String name, long n, long channels) {
        long code = cfg.motionCodeDim;
        return new Layer("G", name, code * 2 * channels + 2 * channels, dense(n, code, 2 * channels));
    }

    /** The layers of one call. */
    public List<Layer> layers(Call call) {
        return switch (call.network()) {
            case "E_C" -> contentEncoder(call.items());
            case "E_M" -> motionEncoder(call.items(), call.frames());
            case "R" -> motionDecoder(call.items(), call.frames());
            case "G" -> generator(call.items(), call.frames());
            case "D_I" -> imageDiscriminator(call.items());
            case "D_V" -> videoDiscriminator(call.items(), call.frames());
            default -> throw new IllegalArgumentException("unknown network " + call.network());
        };
    }

    /** Multiply-adds of one call. */
    public long macs(Call call) {
        long s = 0;
        for (Layer l : layers(call)) s += l.macs();
        return s;
    }

    /** Trainable parameters per network, from the layer list (in {@link DualMtgan#NETWORKS} order). */
    public Map<String, Long> parameterCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        long t = cfg.frames;
        List<List<Layer>> nets = List.of(contentEncoder(1), motionEncoder(1, t), motionDecoder(1, t), generator(1, t),
                imageDiscriminator(1), videoDiscriminator(1, t));
        for (int i = 0; i < nets.size(); i++) {
            long p = 0;
            for (Layer l : nets.get(i)) p += l.params();
            out.put(DualMtgan.NETWORKS.get(i), p);
        }
        return out;
    }

    // ---- What a training step and the inference calls run (TrainingStep / Losses, Animator). ----

    /**
     * The network calls of one training step at batch b with the adversarial weights on (after the
     * warm-up), as {@code Losses.compute} makes them; calls of one network are summed into one.
     */
    public List<Call> trainingStep(long b) {
        long t = cfg.frames;
        boolean dI = cfg.lambdaI > 0;
        boolean dV = cfg.lambdaV > 0;
        boolean needYd = cfg.lambdaM > 0 || dI || dV;
        boolean needYs = cfg.lambdaLatent > 0 || dI || dV;
        List<Call> calls = new ArrayList<>();
        // E_C sees every frame of V plus y when L_C is on, else x^1 and y.
        calls.add(new Call("E_C", cfg.lambdaC > 0 ? b * t + b : 2 * b, 1));
        // E_M on V, then on the generated clips the motion losses read back.
        long back = (cfg.lambdaM > 0 ? 2 * b : 0) + (cfg.lambdaLatent > 0 ? b : 0);
        calls.add(new Call("E_M", b + back, t));
        calls.add(new Call("R", needYs ? 2 * b : b, t));
        long parts = 1 + (needYd ? 1 : 0) + (needYs ? 1 : 0);
        calls.add(new Call("G", parts * b, t));
        // Generator side (fakes labelled real): 3 pairs / 3 clips per sample; discriminator side: 7 pairs / 5 clips.
        if (dI) calls.add(new Call("D_I", 3 * b + 7 * b, 1));
        if (dV) calls.add(new Call("D_V", 3 * b + 5 * b, t));
        return calls;
    }

    /** Forward FLOPs of one training step (2 per multiply-add). */
    public long trainingForwardFlops(long b) {
        return 2 * sumMacs(trainingStep(b));
    }

    /** FLOPs of one training step: forward plus a backward of twice the forward. */
    public long trainingStepFlops(long b) {
        return 3 * trainingForwardFlops(b);
    }

    /**
     * The calls of {@code Animator.transfer} for one image and a driving video of {@code length}
     * frames: E_M on each window of T frames (one window of {@code length} frames when it fits), R
     * on each window, E_C once per chunk of 64 output frames, G on every output frame.
     */
    public List<Call> transfer(long length) {
        long t = cfg.frames;
        List<Call> calls = new ArrayList<>();
        if (length <= t) {
            calls.add(new Call("E_M", 1, length));
            calls.add(new Call("R", 1, length));
        } else {
            long windows = windows(length, t);
            calls.add(new Call("E_M", windows, t));
            calls.add(new Call("R", windows, t));
        }
        calls.add(new Call("E_C", chunks(length), 1));
        calls.add(new Call("G", 1, length));
        return calls;
    }

    /** The calls of {@code Animator.generate} for n samples of {@code frames} frames from one image. */
    public List<Call> generate(long n, long frames) {
        return List.of(new Call("R", n, frames), new Call("E_C", n * chunks(frames), 1), new Call("G", n, frames));
    }

    /** Number of overlapping windows of T frames for a driving video longer than T (MotionWindows.plan). */
    static long windows(long length, long t) {
        long hop = Math.max(1, (t - 1) / 2);
        long last = length - (t - 1);
        return 1 + (last + hop - 1) / hop;
    }

    /** The Animator renders at most 64 frames per generator call, and encodes the image for each. */
    private static long chunks(long frames) {
        return (frames + 63) / 64;
    }

    /** FLOPs (forward only) of a list of calls. */
    public long forwardFlops(List<Call> calls) {
        return 2 * sumMacs(calls);
    }

    /** Multiply-adds per network of a list of calls. */
    public Map<String, Long> macsByNetwork(List<Call> calls) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Call c : calls) out.merge(c.network(), macs(c), Long::sum);
        return out;
    }

    private long sumMacs(List<Call> calls) {
        long s = 0;
        for (Call c : calls) s += macs(c);
        return s;
    }
}
