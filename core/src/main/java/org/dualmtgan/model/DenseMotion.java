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
 * kp_drv_k to kp_src_k, or with a {@code localAffine} scale the affine map centred on kp_drv_k
 * that best carries its neighbours onto theirs (FOMM's first-order term, its Jacobians read from
 * the keypoints' configuration instead of a second head, so the motion code stays K points).
 * The network sees, per candidate, the difference of Gaussian heatmaps
 * (driving - source; zeros for the background) and the source warped by that candidate, and
 * predicts softmax weights over the candidates: flow = sum_k w_k flow_k. Its occlusion head starts
 * at zero weights with a +3 logit ({@link #OCCLUSION_LOGIT}), so an untrained model occludes nothing.
 */
public final class DenseMotion extends ModelBlock {
    /** Added to the occlusion logit: sigmoid(3) = 0.95 at the start. */
    static final float OCCLUSION_LOGIT = 3f;
    /** Parameters initialised to zero (name under G). */
    static final String ZERO_INIT = "occlusion.";
    /** Ridge added to both second-moment matrices of a local affine fit: few or collinear neighbours give the identity. */
    static final float AFFINE_RIDGE = 0.002f;
    /** Bound on every entry of a local affine map, so mismatched neighbours cannot fold the source. */
    static final float AFFINE_BOUND = 2f;
    private final int keypoints;
    private final float localAffine;
    private final ConvNormAct in;
    private final ConvNormAct down;
    private final ConvNormAct same;
    private final ConvNormAct up;
    private final Conv weights;
    private final Conv occlusion;

    /** {@code localAffine}: the neighbourhood scale of the local affine candidates (0: translations). */
    public DenseMotion(int width, int keypoints, float localAffine) {
        this.keypoints = keypoints;
        this.localAffine = localAffine;
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

    /**
     * The K + 1 candidate flows with local affine maps (scale {@code scale} > 0): candidate k sends
     * z to kp_src_k + A_k (z - kp_drv_k), so it agrees with the translation at kp_drv_k. A_k is
     * the weighted least-squares fit of the neighbours' source offsets to their driving offsets,
     * A_k = (Q + rI)(P + rI)^-1 with P = sum_j w_kj d~_j d~_j^T, Q = sum_j w_kj s~_j d~_j^T (offsets
     * from the weighted means, weights w_kj = exp(-|kp_drv_j - kp_drv_k|^2 / 2 scale^2), normalised),
     * r = {@link #AFFINE_RIDGE}: keypoints that all move by one translation give A_k = I.
     */
    static NDArray[] affineCandidates(NDArray kpSource, NDArray kpDriving, long n, float scale) {
        NDManager m = kpSource.getManager();
        long b = kpSource.getShape().get(0);
        long k = kpSource.getShape().get(1);
        NDArray dx = kpDriving.get(":, :, 0");
        NDArray dy = kpDriving.get(":, :, 1");
        NDArray sx = kpSource.get(":, :, 0");
        NDArray sy = kpSource.get(":, :, 1");
        // w (N, K, K): row k weighs neighbour j by its distance to keypoint k in the driving frame.
        NDArray ddx = dx.expandDims(1).sub(dx.expandDims(2));
        NDArray ddy = dy.expandDims(1).sub(dy.expandDims(2));
        NDArray w = Scalars.mul(ddx.square().add(ddy.square()), -0.5f / (scale * scale)).exp();
        w = w.div(w.sum(new int[] {2}, true));
        NDArray cdx = centred(dx, w);
        NDArray cdy = centred(dy, w);
        NDArray csx = centred(sx, w);
        NDArray csy = centred(sy, w);
        NDArray p00 = w.mul(cdx).mul(cdx).sum(new int[] {2}).add(AFFINE_RIDGE);
        NDArray p01 = w.mul(cdx).mul(cdy).sum(new int[] {2});
        NDArray p11 = w.mul(cdy).mul(cdy).sum(new int[] {2}).add(AFFINE_RIDGE);
        NDArray q00 = w.mul(csx).mul(cdx).sum(new int[] {2}).add(AFFINE_RIDGE);
        NDArray q01 = w.mul(csx).mul(cdy).sum(new int[] {2});
        NDArray q10 = w.mul(csy).mul(cdx).sum(new int[] {2});
        NDArray q11 = w.mul(csy).mul(cdy).sum(new int[] {2}).add(AFFINE_RIDGE);
        NDArray det = p00.mul(p11).sub(p01.square());
        NDArray a00 = q00.mul(p11).sub(q01.mul(p01)).div(det).clip(-AFFINE_BOUND, AFFINE_BOUND);
        NDArray a01 = q01.mul(p00).sub(q00.mul(p01)).div(det).clip(-AFFINE_BOUND, AFFINE_BOUND);
        NDArray a10 = q10.mul(p11).sub(q11.mul(p01)).div(det).clip(-AFFINE_BOUND, AFFINE_BOUND);
        NDArray a11 = q11.mul(p00).sub(q10.mul(p01)).div(det).clip(-AFFINE_BOUND, AFFINE_BOUND);
        // Candidate 0, the identity: A = I about the origin, no shift; per candidate (N, K + 1, 1, 1).
        NDArray zero = m.zeros(new Shape(b, 1));
        NDArray one = m.ones(new Shape(b, 1));
        NDArray srcX = grid(zero.concat(sx, 1));
        NDArray srcY = grid(zero.concat(sy, 1));
        NDArray g = Keypoints.axis(m, n);
        NDArray ex = g.reshape(1, 1, 1, n).sub(grid(zero.concat(dx, 1))); // z - kp_drv_k, x
        NDArray ey = g.reshape(1, 1, n, 1).sub(grid(zero.concat(dy, 1))); // z - kp_drv_k, y
        Shape out = new Shape(b, k + 1, n, n);
        NDArray fx = srcX.add(grid(one.concat(a00, 1)).mul(ex)).add(grid(zero.concat(a01, 1)).mul(ey)).broadcast(out);
        NDArray fy = srcY.add(grid(zero.concat(a10, 1)).mul(ex)).add(grid(one.concat(a11, 1)).mul(ey)).broadcast(out);
        return new NDArray[] {fx, fy};
    }

    /** v_j minus row k's weighted mean: (N, K, K) from v (N, K) and normalised weights w (N, K, K). */
    private static NDArray centred(NDArray v, NDArray w) {
        NDArray mean = w.mul(v.expandDims(1)).sum(new int[] {2}, true);
        return v.expandDims(1).sub(mean);
    }

    /** (N, C) -> (N, C, 1, 1), to broadcast over a grid. */
    private static NDArray grid(NDArray v) {
        return v.expandDims(2).expandDims(3);
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
        NDArray[] flows = localAffine > 0 ? affineCandidates(kpSrc, kpDrv, n, localAffine) : candidates(kpSrc, kpDrv, n);
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
