package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The dense-motion network of G in keypoint mode (Monkey-Net, FOMM): from the source image and
 * its keypoints kp_src and the driving keypoints kp_drv (N, K, 2), a backward flow (N, 2, S/2, S/2)
 * of sampling positions in the source and an occlusion map (N, 1, S/2, S/2).
 * K + 1 candidate flows: the identity (background) and, for keypoint k, the translation taking
 * kp_drv_k to kp_src_k. The network sees, per candidate, the difference of Gaussian heatmaps
 * (driving - source; zeros for the background) and the source warped by that candidate, and
 * predicts softmax weights over the candidates: flow = sum_k w_k flow_k. Its occlusion head starts
 * at zero weights with a +3 logit ({@link #OCCLUSION_LOGIT}), so an untrained model occludes nothing.
 */
public final class DenseMotion extends ModelBlock {
    /** Added to the occlusion logit: sigmoid(3) = 0.95 at the start. */
    static final float OCCLUSION_LOGIT = 3f;
    /** Parameters initialised to zero (name under G). */
    static final String ZERO_INIT = "occlusion.";
    private final int keypoints;
    private final ConvNormAct in;
    private final ConvNormAct down;
    private final ConvNormAct same;
    private final ConvNormAct up;
    private final Conv weights;
    private final Conv occlusion;

    public DenseMotion(int width, int keypoints) {
        this.keypoints = keypoints;
        in = addChildBlock("in", ConvNormAct.same((keypoints + 1) * 4, 4 * width));
        down = addChildBlock("down", ConvNormAct.down(4 * width, 4 * width));
        same = addChildBlock("same", ConvNormAct.same(4 * width, 4 * width));
        up = addChildBlock("up", ConvNormAct.up(4 * width, 2 * width));
        weights = addChildBlock("weights", Conv.conv2d(2 * width, keypoints + 1, 3, 1, 1, false));
        occlusion = addChildBlock("occlusion", Conv.conv2d(2 * width, 1, 3, 1, 1, false));
    }

    /** (flow (N, 2, S/2, S/2), occlusion (N, 1, S/2, S/2)) for source (N, 3, S, S) and keypoints (N, K, 2). */
    public NDList flow(NDArray source, NDArray kpSource, NDArray kpDriving, boolean training) {
        return forward(training, source, kpSource, kpDriving);
    }

    /**
     * The K + 1 candidate flows at n x n: (x, y), each (N, K + 1, n, n) of sampling positions.
     * Candidate 0 is the identity; candidate k shifts by kp_src_k - kp_drv_k.
     */
    static NDArray[] candidates(NDArray kpSource, NDArray kpDriving, long n) {
        NDManager m = kpSource.getManager();
        long b = kpSource.getShape().get(0);
        NDArray shift = kpSource.sub(kpDriving); // (N, K, 2)
        NDArray zero = m.zeros(new Shape(b, 1, 2));
        NDArray all = zero.concat(shift, 1); // (N, K + 1, 2)
        NDArray g = Keypoints.axis(m, n);
        NDArray x = g.reshape(1, 1, 1, n).add(all.get(":, :, 0").expandDims(2).expandDims(3)).broadcast(new Shape(b, keypoints(all), n, n));
        NDArray y = g.reshape(1, 1, n, 1).add(all.get(":, :, 1").expandDims(2).expandDims(3)).broadcast(new Shape(b, keypoints(all), n, n));
        return new NDArray[] {x, y};
    }

    private static long keypoints(NDArray all) {
        return all.getShape().get(1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray source = inputs.get(0);
        NDArray kpSrc = inputs.get(1);
        NDArray kpDrv = inputs.get(2);
        long b = source.getShape().get(0);
        long n = source.getShape().get(2) / 2;
        long c = keypoints + 1;
        NDArray small = Keypoints.resize(source, n, n);
        NDArray[] flows = candidates(kpSrc, kpDrv, n);
        // The source warped by every candidate, in one sampling pass: (N, K + 1, 3, n, n).
        NDArray repeated = small.expandDims(1).broadcast(new Shape(b, c, 3, n, n)).reshape(b * c, 3, n, n);
        NDArray warped = Keypoints.sample(repeated, flows[0].reshape(b * c, n, n), flows[1].reshape(b * c, n, n))
                .reshape(b, c, 3, n, n);
        NDArray hm = Keypoints.heatmaps(kpDrv, n).sub(Keypoints.heatmaps(kpSrc, n));
        hm = source.getManager().zeros(new Shape(b, 1, n, n)).concat(hm, 1).expandDims(2);
        NDArray x = hm.concat(warped, 2).reshape(b, c * 4, n, n);
        NDArray h = up.forward(same.forward(down.forward(in.forward(x, training), training), training), training);
        NDArray w = weights.forward(h, training).softmax(1); // (N, K + 1, n, n)
        NDArray fx = w.mul(flows[0]).sum(new int[] {1});
        NDArray fy = w.mul(flows[1]).sum(new int[] {1});
        NDArray flow = NDArrays.stack(new NDList(fx, fy), 1);
        NDArray occ = Activation.sigmoid(occlusion.forward(h, training).add(OCCLUSION_LOGIT));
        return new NDList(flow, occ);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long n = s.get(2) / 2;
        return new Shape[] {new Shape(s.get(0), 2, n, n), new Shape(s.get(0), 1, n, n)};
    }
}
