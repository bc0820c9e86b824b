package org.dualmtgan.model;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Works around wrong convolution input gradients on this project's machines: with oneDNN's
 * AVX-512 kernels (PyTorch 2.7.1 CPU via DJL 0.36), the gradient of a 2D convolution with respect
 * to its input came out different from run to run, and sometimes NaN, while the forward pass and
 * the weight gradient were exact; capped at AVX2 it matched a hand computation in 60 of 60 runs
 * (see docs/model.md). oneDNN reads {@code ONEDNN_MAX_CPU_ISA} when it first dispatches a kernel,
 * so the variable is set in the process environment (through the C library, since Java cannot
 * set environment variables) before the first network runs. A value set by the user is kept.
 */
public final class CpuIsaGuard {
    private static volatile boolean done;

    private CpuIsaGuard() {}

    interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    /** Sets ONEDNN_MAX_CPU_ISA=AVX2 unless already set; safe to call many times. */
    public static synchronized void apply() {
        if (done) return;
        done = true;
        try {
            CLibrary c = Native.load("c", CLibrary.class);
            c.setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 0);
            c.setenv("DNNL_MAX_CPU_ISA", "AVX2", 0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // Not Linux/glibc: nothing to do; the variable can still be set by the launcher.
        }
    }

    /** The value oneDNN will see (for logs and checkpoints), or null. */
    public static String current() {
        try {
            return Native.load("c", CLibrary.class).getenv("ONEDNN_MAX_CPU_ISA");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return System.getenv("ONEDNN_MAX_CPU_ISA");
        }
    }
}
