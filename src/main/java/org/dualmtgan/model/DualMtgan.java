package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * The Dual-MTGAN networks (METHOD.md): E_C, E_M, R, G on the generator side, D_I, D_V on the
 * discriminator side, and the frame sampler S_I. Inference methods take arrays in [-1, 1],
 * videos as (B, T, 3, H, W) and images as (B, 3, H, W), run without gradients and return arrays
 * owned by the manager of their first argument. Not thread-safe.
 */
public final class DualMtgan implements AutoCloseable {
    /** The two optimizer sides. */
    public enum Side { GENERATOR, DISCRIMINATOR }

    private DualMtgan() {}

    /**
     * Builds the networks of {@code cfg} with parameters owned by {@code manager}, initialised
     * from {@code seed} through Java's {@link java.util.SplittableRandom} (same seed, same model).
     * Throws {@link org.dualmtgan.InvalidInputException} for an invalid config.
     */
    public static DualMtgan create(ModelConfig cfg, NDManager manager, long seed) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The config this model was built from (a copy; changing it changes nothing). */
    public ModelConfig config() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The manager owning parameters and state. */
    public NDManager manager() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Trainable parameters of one side by stable name, e.g. {@code E_C.conv1.weight}. */
    public Map<String, NDArray> parameters(Side side) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Non-trainable state (spectral-norm {@code .u} vectors), skipped by optimizers, kept in checkpoints. */
    public Map<String, NDArray> state() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Trainable parameters of both sides plus {@link #state()}: everything a checkpoint must hold. */
    public Map<String, NDArray> allParameters() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Number of trainable scalars per network: E_C, E_M, R, G, D_I, D_V. */
    public Map<String, Long> parameterCounts() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Copies {@code arrays} (as from {@link #allParameters()}) into this model. Every name of
     * {@link #allParameters()} must be present with the same shape; throws
     * {@link org.dualmtgan.InvalidInputException} naming the first mismatch.
     */
    public void loadParameters(Map<String, NDArray> arrays) {
        throw new UnsupportedOperationException("not yet");
    }

    /** G(E_C(x^1), R(mu(E_M(V)))): the video rebuilt from its first frame and its own motion. */
    public NDArray reconstruct(NDArray video) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Deterministic motion transfer: {@code image}'s content with {@code drivingVideo}'s motion, as many frames as the driving video. */
    public NDArray transfer(NDArray image, NDArray drivingVideo) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Stochastic generation: G(E_C(image), R(z)) for {@code frames} frames; z is (B, latentDim()). */
    public NDArray sample(NDArray image, NDArray z, int frames) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The posterior mean mu of E_M for each video: (B, latentDim()). */
    public NDArray encodeMotion(NDArray video) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Length of the motion latent z. */
    public int latentDim() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Closes the parameters (the manager itself belongs to the caller). */
    @Override
    public void close() {}
}
