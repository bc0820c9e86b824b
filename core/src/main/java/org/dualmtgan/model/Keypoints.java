package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The geometry of the keypoint motion code, in one place. Keypoints are (N, K, 2) arrays of
 * (x, y) in normalised coordinates: -1 is the centre of the first column (row), +1 the centre of
 * the last (grid_sample's align_corners = true), so a position maps to pixel {@code (v + 1) / 2 *
 * (size - 1)} at any resolution. Flows are absolute sampling positions in the same coordinates.
 */
public final class Keypoints {
    /** Softmax temperature of the detector's heatmaps (FOMM's 0.1): sharp, yet differentiable. */
    public static final float TEMPERATURE = 0.1f;
    /** Width of the Gaussian heatmaps the dense-motion network sees, in normalised units. */
    public static final float SIGMA = 0.1f;

    private Keypoints() {}

    /** linspace(-1, 1, n) as (n). */
    static NDArray axis(NDManager m, long n) {
        return n == 1 ? m.zeros(new Shape(1)) : m.arange(0f, (float) n).mul(2f / (n - 1)).sub(1f);
    }

    /**
     * Soft-argmax: logits (N, K, H, W) -> softmax over each map's H*W pixels at {@link #TEMPERATURE}
     * -> the expected (x, y) of each map, (N, K, 2).
     */
    public static NDArray softArgmax(NDArray logits) {
        Shape s = logits.getShape();
        long n = s.get(0);
        long k = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDManager m = logits.getManager();
        NDArray p = Scalars.div(logits.reshape(n, k, h * w), TEMPERATURE).softmax(2).reshape(n, k, h, w);
        NDArray x = p.sum(new int[] {2}).mul(axis(m, w).reshape(1, 1, w)).sum(new int[] {2});
        NDArray y = p.sum(new int[] {3}).mul(axis(m, h).reshape(1, 1, h)).sum(new int[] {2});
        return NDArrays.stack(new NDList(x, y), 2);
    }

    /** Gaussians of width {@link #SIGMA} around keypoints (N, K, 2) on an n x n grid: (N, K, n, n). */
    static NDArray heatmaps(NDArray kp, long n) {
        NDManager m = kp.getManager();
        NDArray g = axis(m, n);
        NDArray dx = g.reshape(1, 1, 1, n).sub(kp.get(":, :, 0").expandDims(2).expandDims(3));
        NDArray dy = g.reshape(1, 1, n, 1).sub(kp.get(":, :, 1").expandDims(2).expandDims(3));
        return Scalars.mul(dx.square().add(dy.square()), -0.5f / (SIGMA * SIGMA)).exp();
    }

    /**
     * Samples {@code image} (N, C, H, W) at normalised positions x, y (N, Ho, Wo), border-clamped:
     * (N, C, Ho, Wo).
     */
    static NDArray sample(NDArray image, NDArray x, NDArray y) {
        long h = image.getShape().get(2);
        long w = image.getShape().get(3);
        return BilinearSampler.sample(image, Scalars.mul(x.add(1f), (w - 1) / 2f), Scalars.mul(y.add(1f), (h - 1) / 2f));
    }

    /**
     * Backward warp of {@code image} (N, C, H, W) by a flow of sampling positions (N, 2, h, w)
     * (channel 0: x, 1: y): the flow is resized bilinearly (align corners) to H x W when it differs.
     */
    static NDArray warp(NDArray image, NDArray flow) {
        long h = image.getShape().get(2);
        long w = image.getShape().get(3);
        NDArray f = flow.getShape().get(2) == h && flow.getShape().get(3) == w ? flow : resizeAligned(flow, h, w);
        return sample(image, f.get(":, 0"), f.get(":, 1"));
    }

    /**
     * Bilinear resize of (N, C, H, W) to h x w, pixel centres as in align_corners = false (the
     * engine's interpolate; its last argument is antialiasing, off here).
     */
    static NDArray resize(NDArray x, long h, long w) {
        return JniUtils.interpolate((PtNDArray) x, new long[] {h, w}, 2, false);
    }

    /**
     * Bilinear resize with aligned corners (the first and last pixel centres stay in place), which
     * keeps a flow of sampling positions exact: a linear grid resizes to the linear grid. The
     * engine's interpolate has no such switch, so it samples at an h x w grid of normalised positions.
     */
    static NDArray resizeAligned(NDArray x, long h, long w) {
        NDManager m = x.getManager();
        long n = x.getShape().get(0);
        NDArray gx = axis(m, w).reshape(1, 1, w).broadcast(new Shape(n, h, w));
        NDArray gy = axis(m, h).reshape(1, h, 1).broadcast(new Shape(n, h, w));
        return sample(x, gx, gy);
    }

    /**
     * {@code image} (N, C, S, S) seen through the affine map p -> A p + t of normalised coordinates:
     * out(p) = image(A p + t) (affine_grid's convention); {@code affine} (N, 2, 3) is [A | t]. The
     * keypoints of the result, mapped by A and t, are the image's: the equivariance constraint.
     */
    public static NDArray affineWarp(NDArray image, NDArray affine) {
        Shape s = image.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        NDManager m = image.getManager();
        NDArray gx = axis(m, w).reshape(1, 1, w).broadcast(new Shape(n, h, w));
        NDArray gy = axis(m, h).reshape(1, h, 1).broadcast(new Shape(n, h, w));
        NDArray x = gx.mul(at(affine, 0, 0)).add(gy.mul(at(affine, 0, 1))).add(at(affine, 0, 2));
        NDArray y = gx.mul(at(affine, 1, 0)).add(gy.mul(at(affine, 1, 1))).add(at(affine, 1, 2));
        return sample(image, x, y);
    }

    /** Keypoints (N, K, 2) mapped by the affine maps (N, 2, 3): A kp + t. */
    public static NDArray applyAffine(NDArray kp, NDArray affine) {
        NDArray a = affine.get(":, :, 0:2");
        NDArray t = affine.get(":, :, 2");
        // (N, K, 2) x (N, 2, 2)^T -> (N, K, 2)
        return kp.matMul(a.transpose(0, 2, 1)).add(t.expandDims(1));
    }

    private static NDArray at(NDArray affine, int row, int col) {
        return affine.get(":, " + row + ", " + col).reshape(-1, 1, 1);
    }

    /**
     * Relative mode (FOMM's): the driving keypoints for a target image whose keypoints are
     * {@code kpTarget} (N, K, 2), from a driving clip's keypoints: kpTarget + (kpDriving^t -
     * kpDriving^1). {@code displacements} are the latter, (N, T, K, 2) or flattened (N, T, 2K).
     * Returns (N, T, K, 2).
     */
    public static NDArray relative(NDArray kpTarget, NDArray displacements) {
        Shape ks = kpTarget.getShape();
        long n = ks.get(0);
        long t = displacements.getShape().get(1);
        return kpTarget.expandDims(1).add(displacements.reshape(n, t, ks.get(1), 2));
    }
}
