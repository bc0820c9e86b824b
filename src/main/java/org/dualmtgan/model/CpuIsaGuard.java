package org.dualmtgan.model;

import ai.djl.engine.Engine;
import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Works around wrong convolution gradients on this project's machines (docs/model.md has the
 * measurements). With PyTorch 2.7.1's oneDNN (mkldnn) convolutions on CPU, reached through DJL
 * 0.36, the gradient of a convolution with respect to its input differed from run to run and was
 * sometimes NaN (AVX-512 and AVX2 kernels), and even with the AVX kernels whole training runs were
 * not reproducible; the forward pass and the weight gradients were exact. ATen's own convolution
 * (im2col + GEMM) matched finite differences and gave bit-identical runs. So, before the first
 * convolution runs, this turns PyTorch's use of mkldnn off and NNPACK off (NNPACK cannot start on
 * these CPUs and would warn on every convolution), in PyTorch's global context, called by symbol
 * through JNA because DJL exposes no switch. {@code -Ddualmtgan.mkldnn=true} keeps mkldnn on
 * (about 4x faster steps, not reproducible, and unsafe: a NaN gradient in D_V at the default
 * config even at AVX); then {@code ONEDNN_MAX_CPU_ISA=AVX} is set in the process environment
 * unless the user set it, since AVX2 and AVX-512 gave NaN gradients more often.
 */
public final class CpuIsaGuard {
    /** The highest oneDNN instruction set whose convolution gradients matched finite differences (AVX2, AVX-512 did not). */
    public static final String SAFE_ISA = "AVX";
    private static volatile boolean done;
    private static volatile boolean mkldnnDisabled;

    private CpuIsaGuard() {}

    interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    /** Applies the switches once; safe to call many times. {@code -Ddualmtgan.mkldnn=true} keeps mkldnn on. */
    public static synchronized void apply() {
        if (done) return;
        done = true;
        try {
            // Java cannot set environment variables; oneDNN reads this one at its first kernel.
            CLibrary c = Native.load("c", CLibrary.class);
            c.setenv("ONEDNN_MAX_CPU_ISA", SAFE_ISA, 0);
            c.setenv("DNNL_MAX_CPU_ISA", SAFE_ISA, 0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // Not Linux/glibc: the variable can still be set by the launcher.
        }
        boolean keep = Boolean.getBoolean("dualmtgan.mkldnn");
        mkldnnDisabled = configureTorch(keep);
        if (!keep && !mkldnnDisabled) {
            org.slf4j.LoggerFactory.getLogger(CpuIsaGuard.class).warn(
                    "could not switch PyTorch's mkldnn off: convolution gradients may be wrong (docs/model.md)");
        }
    }

    /** Whether PyTorch's mkldnn convolutions were switched off. */
    public static boolean mkldnnDisabled() {
        return mkldnnDisabled;
    }

    /** Switches NNPACK off, and mkldnn too unless {@code keepMkldnn}; returns whether mkldnn is off. */
    private static boolean configureTorch(boolean keepMkldnn) {
        try {
            Engine.getEngine("PyTorch"); // loads libtorch
            Path lib = findTorchCpu();
            if (lib == null) return false;
            NativeLibrary torch = NativeLibrary.getInstance(lib.toString());
            Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            Function set = torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb");
            if (!keepMkldnn) set.invokeVoid(new Object[] {context, (byte) 0});
            // NNPACK cannot start on these CPUs and would warn on every convolution.
            torch.getFunction("_ZN2at7Context20setUserEnabledNNPACKEb").invokeVoid(new Object[] {context, (byte) 0});
            Function get = torch.getFunction("_ZNK2at7Context17userEnabledMkldnnEv");
            return (get.invokeInt(new Object[] {context}) & 0xff) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** The libtorch_cpu.so this process loaded (from /proc/self/maps), else the one in DJL's cache, or null. */
    private static Path findTorchCpu() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            var loaded = lines.filter(l -> l.endsWith("/libtorch_cpu.so"))
                    .map(l -> l.substring(l.indexOf('/'))).findFirst();
            if (loaded.isPresent()) return Path.of(loaded.get());
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: fall back to the cache folder
        }
        Path pytorch = ai.djl.util.Utils.getEngineCacheDir("pytorch");
        if (!Files.isDirectory(pytorch)) return null;
        try (Stream<Path> s = Files.walk(pytorch, 2)) {
            return s.filter(p -> p.getFileName().toString().equals("libtorch_cpu.so")).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The ISA cap oneDNN will see (for logs and checkpoints), or null. */
    public static String current() {
        try {
            return Native.load("c", CLibrary.class).getenv("ONEDNN_MAX_CPU_ISA");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return System.getenv("ONEDNN_MAX_CPU_ISA");
        }
    }
}
