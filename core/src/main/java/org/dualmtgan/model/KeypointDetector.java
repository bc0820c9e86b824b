package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The per-frame half of E_M in keypoint mode: a frame (N, 3, S, S) -> K keypoints (N, K, 2) in
 * normalised coordinates, by soft-argmax ({@link Keypoints#softArgmax}) over K heatmaps at S/2.
 * Learned without labels: the reconstruction through the dense motion and the equivariance loss
 * decide what the keypoints track.
 */
public final class KeypointDetector extends ModelBlock {
    private final int keypoints;
    private final ConvNormAct down;
    private final ConvNormAct same1;
    private final ConvNormAct same2;
    private final Conv heatmaps;

    public KeypointDetector(int width, int keypoints) {
        this.keypoints = keypoints;
        down = addChildBlock("down", ConvNormAct.down(3, width));
        same1 = addChildBlock("same1", ConvNormAct.same(width, 2 * width));
        same2 = addChildBlock("same2", ConvNormAct.same(2 * width, 2 * width));
        heatmaps = addChildBlock("heatmaps", Conv.conv2d(2 * width, keypoints, 3, 1, 1, false));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = same2.forward(same1.forward(down.forward(x, training), training), training);
        return new NDList(Keypoints.softArgmax(heatmaps.forward(h, training)));
    }

    public int keypoints() {
        return keypoints;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), keypoints, 2)};
    }
}
