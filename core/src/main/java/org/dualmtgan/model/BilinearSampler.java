package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear sampling of images at real-valued pixel positions, the engine's missing grid_sample,
 * built from one {@code gather}: the four neighbours of every output pixel are fetched in a single
 * index pass and blended by their bilinear weights. Positions outside the image are clamped to the
 * border (replicate padding), so a warp never pulls in black. Differentiable in the image (gather's
 * backward is a scatter-add) and in the positions (through the blend weights; the integer corners
 * carry no gradient, as in grid_sample).
 *
 * <p>Coordinates are in pixels: column {@code x} in [0, W-1] and row {@code y} in [0, H-1], pixel
 * centres at integers, so an identity flow samples every pixel exactly.
 */
public final class BilinearSampler {
    private BilinearSampler() {}

    /**
     * Samples {@code image} (N, C, H, W) at columns {@code x} and rows {@code y}, each (N, Ho, Wo):
     * returns (N, C, Ho, Wo).
     */
    public static NDArray sample(NDArray image, NDArray x, NDArray y) {
        Shape s = image.getShape();
        if (s.dimension() != 4) throw new IllegalArgumentException("image must be (N, C, H, W), got " + s);
        Shape ps = x.getShape();
        if (ps.dimension() != 3 || !ps.equals(y.getShape()) || ps.get(0) != s.get(0)) {
            throw new IllegalArgumentException("positions must be two (N, Ho, Wo) arrays for image " + s + ", got " + ps + " and " + y.getShape());
        }
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long points = ps.get(1) * ps.get(2);
        // A NaN position (the engine's rare reads of freed memory, docs/training.md) would become an
        // index of -2^63 and abort the process; as 0 it gives a NaN-free sample, and the NaN that
        // caused it still reaches the loss, whose step the trainer then recomputes.
        NDArray cx = finite(x).clip(0, w - 1);
        NDArray cy = finite(y).clip(0, h - 1);
        NDArray x0 = cx.floor().stopGradient();
        NDArray y0 = cy.floor().stopGradient();
        NDArray fx = cx.sub(x0);
        NDArray fy = cy.sub(y0);
        NDArray x1 = x0.add(1).clip(0, w - 1);
        NDArray y1 = y0.add(1).clip(0, h - 1);
        // Flat indices of the four corners, (N, 4 * points): (y0,x0), (y0,x1), (y1,x0), (y1,x1).
        NDArray row0 = y0.mul(w);
        NDArray row1 = y1.mul(w);
        NDArray index = NDArrays.concat(new NDList(row0.add(x0), row0.add(x1), row1.add(x0), row1.add(x1)), 1)
                .reshape(n, 1, 4 * points).toType(DataType.INT64, false)
                .broadcast(new Shape(n, c, 4 * points));
        NDArray corners = image.reshape(n, c, h * w).gather(index, 2).reshape(n, c, 4, points);
        NDArray gx = fx.reshape(n, 1, points);
        NDArray gy = fy.reshape(n, 1, points);
        NDArray ox = gx.neg().add(1);
        NDArray oy = gy.neg().add(1);
        NDArray weights = NDArrays.stack(new NDList(ox.mul(oy), gx.mul(oy), ox.mul(gy), gx.mul(gy)), 2);
        return corners.mul(weights).sum(new int[] {2}).reshape(n, c, ps.get(1), ps.get(2));
    }

    private static NDArray finite(NDArray v) {
        NDArray nan = v.isNaN();
        if (!nan.any().getBoolean()) return v;
        return NDArrays.where(nan, v.zerosLike(), v);
    }

    /**
     * Backward warp of {@code image} (N, C, H, W) by a dense {@code flow} (N, 2, H', W') in pixels
     * of the image (channel 0: columns, 1: rows): {@code out(i, j) = image(i + flow_y, j + flow_x)}
     * at the positions of an H' x W' grid spread over the image (H' = H: one per pixel). A zero flow
     * gives the image back exactly.
     */
    public static NDArray warp(NDArray image, NDArray flow) {
        Shape fs = flow.getShape();
        if (fs.dimension() != 4 || fs.get(1) != 2 || fs.get(0) != image.getShape().get(0)) {
            throw new IllegalArgumentException("flow must be (N, 2, H, W) for image " + image.getShape() + ", got " + fs);
        }
        long n = fs.get(0);
        long ho = fs.get(2);
        long wo = fs.get(3);
        NDManager m = flow.getManager();
        long h = image.getShape().get(2);
        long w = image.getShape().get(3);
        // The base grid: output pixel centres mapped onto the image's pixel grid (align corners).
        NDArray cols = m.arange(0f, (float) wo).mul(wo > 1 ? (float) (w - 1) / (wo - 1) : 0f).reshape(1, 1, wo);
        NDArray rows = m.arange(0f, (float) ho).mul(ho > 1 ? (float) (h - 1) / (ho - 1) : 0f).reshape(1, ho, 1);
        NDArray x = flow.get(":, 0").add(cols);
        NDArray y = flow.get(":, 1").add(rows);
        return sample(image, x.broadcast(new Shape(n, ho, wo)), y.broadcast(new Shape(n, ho, wo)));
    }
}
