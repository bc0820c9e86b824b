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
 * G in keypoint mode: (source image, E_C(image), kp_src, kp_drv) -> one frame per row.
 * {@link DenseMotion} turns the keypoints into a backward flow and an occlusion map; every skip
 * map of E_C and the image itself are warped by that flow (resized to each map's scale); the
 * decoder climbs from the warped 4 px map, concatenating the warped skip of each scale (nearest
 * upsampling, 3x3 convolution, instance norm, leaky ReLU), and its last convolution paints an RGB
 * layer and a mask: frame = a * warp(image) + (1 - a) * tanh(rgb), a = sigmoid(mask) * occlusion.
 * The last convolution starts at zero with a +3 mask logit ({@link #MASK_LOGIT}), so an untrained
 * G shows the warped image at weight 0.95 * 0.95 and paints only what training asks it to.
 * Forward inputs: (image (N, 3, S, S), kp_src (N, K, 2), kp_drv (N, K, 2), c, skip_1 .. skip_L);
 * outputs (frames (N, 3, S, S), flow (N, 2, S/2, S/2), occlusion (N, 1, S/2, S/2)).
 */
public final class KeypointGenerator extends ModelBlock {
    static final float MASK_LOGIT = 3f;
    /** Parameters initialised to zero (names under G): the last convolution and the occlusion head. */
    static final List<String> ZERO_INIT = List.of("compose.", "dense." + DenseMotion.ZERO_INIT);
    private final int size;
    private final DenseMotion dense;
    private final List<ConvNormAct> ups = new ArrayList<>();
    private final Conv compose;

    public KeypointGenerator(ModelConfig cfg) {
        this.size = cfg.size;
        int depth = cfg.encoderDepth();
        int[] ch = new int[depth];
        for (int i = 0; i < depth; i++) ch[i] = DownStack.levelChannels(cfg.width, i);
        dense = addChildBlock("dense", new DenseMotion(cfg.width, cfg.keypoints, (float) cfg.localAffine));
        // From the 4 px skip up: each stage upsamples, then the warped skip of its scale joins.
        ups.add(addChildBlock("up" + (depth - 1), ConvNormAct.up(ch[depth - 1], ch[depth - 2])));
        for (int i = depth - 2; i >= 1; i--) ups.add(addChildBlock("up" + i, ConvNormAct.up(2 * ch[i], ch[i - 1])));
        ups.add(addChildBlock("up0", ConvNormAct.up(2 * ch[0], ch[0])));
        compose = addChildBlock("compose", Conv.conv2d(ch[0], 4, 3, 1, 1, false));
    }

    /** Frames, flow and occlusion (see the class comment). */
    public NDList render(NDArray image, NDList content, NDArray kpSource, NDArray kpDriving, boolean training) {
        NDList in = new NDList(image, kpSource, kpDriving);
        in.addAll(content);
        return forward(new ParameterStore(), in, training, null);
    }

    public DenseMotion denseMotion() {
        return dense;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray image = inputs.get(0);
        NDList motion = dense.flow(image, inputs.get(1), inputs.get(2), training);
        NDArray flow = motion.get(0);
        NDArray occ = motion.get(1);
        int depth = inputs.size() - 4; // image, kp_src, kp_drv, c, then the skips
        NDArray h = Keypoints.warp(inputs.get(3 + depth), flow);
        for (int k = 0; k < ups.size(); k++) {
            h = ups.get(k).forward(h, training);
            int level = depth - 2 - k; // the skip at h's scale, while one is left
            if (level >= 0) h = h.concat(Keypoints.warp(inputs.get(4 + level), flow), 1);
        }
        NDArray o = compose.forward(h, training);
        NDArray a = Activation.sigmoid(o.get(":, 3:4").add(MASK_LOGIT)).mul(Keypoints.resize(occ, size, size));
        NDArray painted = o.get(":, 0:3").tanh();
        NDArray frames = painted.add(a.mul(Keypoints.warp(image, flow).sub(painted)));
        return new NDList(frames, flow, occ);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s, new Shape(s.get(0), 2, size / 2, size / 2), new Shape(s.get(0), 1, size / 2, size / 2)};
    }
}
