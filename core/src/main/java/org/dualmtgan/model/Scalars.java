package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant inside the autograd graph. The engine's {@code x.mul(2f)} makes the
 * constant a tensor over a Java direct buffer (from_blob), multiplies, and closes it; but mul, div
 * and maximum save that tensor for the backward pass, and once the garbage collector frees the
 * buffer the backward reads whatever the memory then holds. Measured on a 32 px keypoint model
 * with the JVM's memory churned between steps: 26 of 40 steps had non-finite gradients with the
 * engine's scalar ops, 3 of 40 with these (0 of 40 once oneDNN was also capped, {@link CpuIsaGuard}). Here the constant is a tensor the engine allocates
 * itself ({@code full}), whose memory the saved reference keeps alive.
 */
public final class Scalars {
    private Scalars() {}

    /** x * v. */
    public static NDArray mul(NDArray x, double v) {
        try (NDArray c = constant(x, v)) {
            return x.mul(c);
        }
    }

    /** x / v. */
    public static NDArray div(NDArray x, double v) {
        try (NDArray c = constant(x, v)) {
            return x.div(c);
        }
    }

    /** max(x, v) elementwise. */
    public static NDArray maximum(NDArray x, double v) {
        try (NDArray c = constant(x, v)) {
            return x.maximum(c);
        }
    }

    private static NDArray constant(NDArray x, double v) {
        return x.getManager().full(new Shape(), (float) v, x.getDataType());
    }
}
