package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * G, the generator: (conditioning image, E_C(image), m^1..m^T) -> T frames (B, T, 3, S, S).
 * A U-Net style decoder: from the content vector and the coarsest skip at 4 px, each level
 * upsamples (nearest + 3x3 conv), concatenates the content skip of that scale and convolves; the
 * motion code m^t enters every stage through AdaIN. All frames of a clip run as one batch of B*T.
 * "masked" decoder: the last conv predicts a generated layer (tanh) and a soft mask (sigmoid) per
 * pixel and frame, and frame = mask * image + (1 - mask) * generated; "plain": the layer alone.
 * "warp" decoder (METHOD.md's spatial motion pathway, in the spirit of Monkey-Net and FOMM): m^t is
 * also decoded to a spatial map at 4 px that enters the decoder beside the content, and the last
 * conv predicts a generated layer and a separate head ({@code flow}) a dense flow and an occlusion
 * mask: frame = occ * warp(image, flow) + (1 - occ) * generated. The flow head's weights start at
 * zero ({@link #ZERO_INIT}), so an untrained warp model copies the image (zero flow, occlusion
 * sigmoid(4) = 0.98) and training moves pixels from there instead of from random per-pixel
 * displacements, which blur every edge.
 * Forward inputs: (image (B, 3, S, S), m (B, T, D), c, skip_1 .. skip_L) as E_C returns them.
 */
public final class Generator extends ModelBlock {
    /** Pixels of flow per unit of the flow channels, as a fraction of the frame size (1.6 px at 32, 3.2 px at 64). */
    static final float FLOW_GAIN = 1f / 20;
    /** Added to the occlusion logit: sigmoid(4) = 0.98, so the warp, not the generated layer, starts in charge. */
    static final float OCCLUSION_BIAS = 4f;
    private final int size;
    private final boolean masked;
    private final Dense motionMap;
    private final Conv flowHead;
    /** Parameters a model initialises to zero: the flow head's weights (see the class comment). */
    static final String ZERO_INIT = "flow.";
    private final int[] channels;
    private final Dense start;
    private final Conv startConv;
    private final FiLM startFilm;
    private final List<UpsampleConv> ups = new ArrayList<>();
    private final List<FiLM> upFilms = new ArrayList<>();
    private final List<Conv> mergeConvs = new ArrayList<>();
    private final List<FiLM> mergeFilms = new ArrayList<>();
    private final UpsampleConv finalUp;
    private final FiLM finalFilm;
    private final Conv output;

    private Generator(Builder b) {
        this.size = b.size;
        this.masked = !"plain".equals(b.decoder);
        int depth = Integer.numberOfTrailingZeros(b.size) - 2;
        channels = new int[depth];
        for (int i = 0; i < depth; i++) channels[i] = DownStack.levelChannels(b.width, i);
        int deepest = channels[depth - 1];
        start = addChildBlock("start", new Dense(b.contentDim, deepest * 16));
        boolean warp = "warp".equals(b.decoder);
        motionMap = warp ? addChildBlock("motion_map", new Dense(b.motionCodeDim, deepest * 16)) : null;
        startConv = addChildBlock("start_conv", Conv.conv2d((warp ? 3 : 2) * deepest, deepest, 3, 1, 1, false));
        startFilm = addChildBlock("start_film", new FiLM(deepest, b.motionCodeDim, true));
        // Level i (0-based) has the resolution of skip i; walk from depth-2 up to 0.
        for (int i = depth - 2; i >= 0; i--) {
            int level = i + 1;
            ups.add(addChildBlock("up" + level, new UpsampleConv(channels[i + 1], channels[i])));
            upFilms.add(addChildBlock("up" + level + "_film", new FiLM(channels[i], b.motionCodeDim, true)));
            mergeConvs.add(addChildBlock("merge" + level, Conv.conv2d(2 * channels[i], channels[i], 3, 1, 1, false)));
            mergeFilms.add(addChildBlock("merge" + level + "_film", new FiLM(channels[i], b.motionCodeDim, true)));
        }
        finalUp = addChildBlock("final_up", new UpsampleConv(channels[0], channels[0]));
        finalFilm = addChildBlock("final_film", new FiLM(channels[0], b.motionCodeDim, true));
        output = addChildBlock("output", Conv.conv2d(channels[0], outputChannels(b.decoder), 3, 1, 1, false));
        flowHead = warp ? addChildBlock("flow", Conv.conv2d(channels[0], 3, 3, 1, 1, false)) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Frames for {@code image} with content {@code content} (E_C's output) and motion {@code m} (B, T, D). */
    public NDArray generate(NDArray image, NDList content, NDArray m, boolean training) {
        return generateParts(image, content, m, training).get(0);
    }

    /**
     * As {@link #generate}, with the warp decoder's parts after the frames (B, T, 3, S, S): the flow
     * (B*T, 2, S, S) in pixels, the occlusion (B*T, 1, S, S) and the generated layer (B*T, 3, S, S),
     * for the coarse-scale reconstruction terms (ModelConfig.warpPyramid). Other decoders: the frames.
     */
    public NDList generateParts(NDArray image, NDList content, NDArray m, boolean training) {
        NDList in = new NDList(image, m);
        in.addAll(content);
        return forward(new ParameterStore(), in, training, null);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray image = inputs.get(0);
        NDArray m = inputs.get(1);
        NDArray c = inputs.get(2);
        long b = m.getShape().get(0);
        long t = m.getShape().get(1);
        NDArray code = m.reshape(b * t, m.getShape().get(2));
        int depth = channels.length;
        NDArray h = start.forward(c, training).reshape(b, channels[depth - 1], 4, 4);
        h = perFrame(h, t).concat(perFrame(inputs.get(2 + depth), t), 1);
        if (motionMap != null) {
            // The spatial motion pathway: m^t as a 4 px map, so the decoder can place motion, not only scale it.
            h = h.concat(motionMap.forward(code, training).reshape(b * t, channels[depth - 1], 4, 4), 1);
        }
        h = act(startFilm.forward(training, startConv.forward(h, training), code).singletonOrThrow());
        for (int k = 0; k < ups.size(); k++) {
            int level = depth - 2 - k;
            h = act(upFilms.get(k).forward(training, ups.get(k).forward(h, training), code).singletonOrThrow());
            h = h.concat(perFrame(inputs.get(3 + level), t), 1);
            h = act(mergeFilms.get(k).forward(training, mergeConvs.get(k).forward(h, training), code).singletonOrThrow());
        }
        h = act(finalFilm.forward(training, finalUp.forward(h, training), code).singletonOrThrow());
        NDArray frames;
        if (motionMap != null) {
            // Both heads in one convolution (Conv.forwardJoint): the layer's 3 channels, then the flow head's.
            NDArray both = Conv.forwardJoint(h, training, output, flowHead);
            NDArray out = both.get(":, 0:3");
            NDArray head = both.get(":, 3:6");
            NDArray flow = Scalars.mul(head.get(":, 0:2"), FLOW_GAIN * size);
            NDArray occlusion = Activation.sigmoid(head.get(":, 2:3").add(OCCLUSION_BIAS));
            NDArray generated = out.tanh();
            frames = composeWarp(perFrame(image, t), flow, occlusion, generated);
            return new NDList(frames.reshape(b, t, 3, size, size), flow, occlusion, generated);
        } else if (masked) {
            NDArray out = output.forward(h, training);
            NDArray generated = out.get(":, 0:3").tanh();
            NDArray mask = Activation.sigmoid(out.get(":, 3:4"));
            NDArray cond = perFrame(image, t);
            // frame = mask * image + (1 - mask) * generated
            frames = generated.add(mask.mul(cond.sub(generated)));
        } else {
            frames = output.forward(h, training).tanh();
        }
        return new NDList(frames.reshape(b, t, 3, size, size));
    }

    /**
     * The warp decoder's frame: {@code occ * warp(image, flow) + (1 - occ) * generated}, for image
     * and generated (N, 3, S, S), flow (N, 2, S, S) in pixels and occ (N, 1, S, S) in [0, 1].
     */
    public static NDArray composeWarp(NDArray image, NDArray flow, NDArray occlusion, NDArray generated) {
        NDArray warped = BilinearSampler.warp(image, flow);
        return generated.add(occlusion.mul(warped.sub(generated)));
    }

    private static NDArray act(NDArray x) {
        return Activation.leakyRelu(x, DownStack.SLOPE);
    }

    /** (B, ...) -> (B*T, ...), each sample repeated for its T frames (frame-major within a sample). */
    static NDArray perFrame(NDArray a, long t) {
        Shape s = a.getShape();
        long[] target = new long[s.dimension() + 1];
        target[0] = s.get(0);
        target[1] = t;
        for (int i = 1; i < s.dimension(); i++) target[i + 1] = s.get(i);
        long[] flat = new long[s.dimension()];
        flat[0] = s.get(0) * t;
        for (int i = 1; i < s.dimension(); i++) flat[i] = s.get(i);
        return a.expandDims(1).broadcast(new Shape(target)).reshape(new Shape(flat));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape m = inputShapes[1];
        return new Shape[] {new Shape(m.get(0), m.get(1), 3, size, size)};
    }

    public boolean masked() {
        return masked;
    }

    /** Channels of the last conv: generated RGB, plus a mask for "masked" ("warp" has its flow head beside it). */
    public static int outputChannels(String decoder) {
        return "masked".equals(decoder) ? 4 : 3;
    }

    /** Builder: frame size, base width, length of c and of m^t, masked or plain output. */
    public static final class Builder {
        private int size = 64;
        private int width = 32;
        private int contentDim = 128;
        private int motionCodeDim = 64;
        private String decoder = "masked";

        public Builder setSize(int v) {
            size = v;
            return this;
        }

        public Builder setWidth(int v) {
            width = v;
            return this;
        }

        public Builder setContentDim(int v) {
            contentDim = v;
            return this;
        }

        public Builder setMotionCodeDim(int v) {
            motionCodeDim = v;
            return this;
        }

        /** "masked" (the default), "plain" or "warp" (see the class comment). */
        public Builder setDecoder(String v) {
            decoder = v;
            return this;
        }

        public Builder optConfig(ModelConfig cfg) {
            return setSize(cfg.size).setWidth(cfg.width).setContentDim(cfg.contentDim)
                    .setMotionCodeDim(cfg.motionCodeDim).setDecoder(cfg.decoder);
        }

        public Generator build() {
            return new Generator(this);
        }
    }
}
