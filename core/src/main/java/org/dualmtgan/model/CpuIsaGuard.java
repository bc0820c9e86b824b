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
 * Engine switches applied once before the first convolution: NNPACK off (it cannot start on these
 * CPUs and would warn on every convolution), in PyTorch's global context, called by symbol through
 * JNA because DJL exposes no switch; optionally a cap on oneDNN's instruction set.
 *
 * <p>oneDNN runs at the machine's best ISA by default. An earlier version capped it at AVX because
 * AVX2/AVX-512 kernels gave a NaN weight gradient for E_C's first convolution; that was measured
 * while parameters still aliased JVM-freed buffers (docs/model.md), and with that fixed the AVX-512
 * kernels match finite differences and ATen's convolutions ({@code LayersTest}, run at whatever ISA
 * the machine has) and make a 64x64 x 16 training step 1.66x faster (11.3 s against 6.8 s,
 * docs/benchmarks.md). {@code -Ddualmtgan.onednnIsa=AVX} (or the environment variable
 * {@code ONEDNN_MAX_CPU_ISA}) restores a cap; {@code -Ddualmtgan.mkldnn=false} switches mkldnn off
 * (ATen convolutions: slower). {@code TrainingStep} refuses a non-finite gradient before any update
 * either way, and the trainer recomputes such a step.
 */
public final class CpuIsaGuard {
    /** The system property that caps oneDNN's instruction set (e.g. AVX, AVX2, AVX512_CORE); unset: no cap. */
    public static final String ISA_PROPERTY = "dualmtgan.onednnIsa";
    private static volatile boolean done;
    private static volatile boolean mkldnnDisabled;
    private static volatile NativeLibrary torch;
    private static volatile Pointer context;

    private CpuIsaGuard() {}

    interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);

        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags);

        int close(int fd);
    }

    /** Set to {@code true} (or the environment variable DUALMTGAN_ENGINE_WARNINGS=1) to see the engine's own warnings. */
    public static final String WARNINGS_PROPERTY = "dualmtgan.engineWarnings";

    /** Whether the CPU is AMD's (Linux: /proc/cpuinfo's vendor_id). */
    static boolean amd() {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("vendor_id")).findFirst().map(l -> l.contains("AuthenticAMD")).orElse(false);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Applies the switches once; safe to call many times. {@code -Ddualmtgan.mkldnn=false} switches mkldnn off. */
    public static synchronized void apply() {
        if (done) return;
        done = true;
        String cap = System.getProperty(ISA_PROPERTY);
        if (cap == null && System.getenv("ONEDNN_MAX_CPU_ISA") == null && System.getenv("DNNL_MAX_CPU_ISA") == null && amd()) {
            // Measured 2026-12-04 on an AMD EPYC with AVX-512 (PyTorch 2.7.1's oneDNN): the AVX2 and
            // AVX-512 convolution kernels fail LayersTest (input gradients off finite differences by
            // 35%, outputs off ATen's) and training saw a non-finite first-convolution gradient every
            // few steps; capped at AVX, LayersTest passes. Intel's AVX-512 kernels pass, so the cap is AMD's.
            cap = "AVX";
        }
        if (cap != null && !cap.isBlank()) {
            try {
                // Java cannot set environment variables; oneDNN reads this one at its first kernel.
                CLibrary c = Native.load("c", CLibrary.class);
                c.setenv("ONEDNN_MAX_CPU_ISA", cap.trim(), 1);
                c.setenv("DNNL_MAX_CPU_ISA", cap.trim(), 1);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                // Not Linux/glibc: the variable can still be set by the launcher.
            }
        }
        boolean keep = !"false".equalsIgnoreCase(System.getProperty("dualmtgan.mkldnn", "true"));
        mkldnnDisabled = configureTorch(keep);
        if (!keep && !mkldnnDisabled) {
            org.slf4j.LoggerFactory.getLogger(CpuIsaGuard.class).warn("could not switch PyTorch's mkldnn off");
        }
        boolean show = Boolean.getBoolean(WARNINGS_PROPERTY) || "1".equals(System.getenv("DUALMTGAN_ENGINE_WARNINGS"));
        if (!show) spendDeprecationWarning();
    }

    /**
     * The engine prints one deprecation warning ("AutoNonVariableTypeMode is deprecated", a warn-once
     * of DJL's native code) on standard error the first time a parameter's values are set, so every
     * command's first line of output was that warning, not its own. It is spent here once, with the
     * process's standard error pointed at /dev/null for that one call (the engine writes it from
     * native code, beyond System.setErr). {@link #WARNINGS_PROPERTY} keeps it.
     */
    private static void spendDeprecationWarning() {
        CLibrary c;
        try {
            c = Native.load("c", CLibrary.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return; // not glibc: the warning stays
        }
        System.err.flush();
        int saved = c.dup(2);
        if (saved < 0) return;
        int devNull = c.open("/dev/null", 1); // O_WRONLY
        try {
            if (devNull < 0 || c.dup2(devNull, 2) < 0) return;
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
                ai.djl.ndarray.NDArray a = m.zeros(new ai.djl.ndarray.types.Shape(1));
                a.setRequiresGradient(true);
                a.set(new float[] {0f});
            } catch (RuntimeException e) {
                // Nothing to spend on an engine that cannot run: its own error comes later, visibly.
            }
        } finally {
            c.dup2(saved, 2);
            c.close(saved);
            if (devNull >= 0) c.close(devNull);
        }
    }

    /** Whether PyTorch's mkldnn convolutions were switched off ({@code -Ddualmtgan.mkldnn=false}). */
    public static boolean mkldnnDisabled() {
        return mkldnnDisabled;
    }

    /**
     * Switches PyTorch's mkldnn convolutions on or off for the whole process, for comparing the two
     * convolution paths on the same inputs (tests); returns whether the switch took. Not for use
     * while other threads run the engine.
     */
    public static synchronized boolean setMkldnn(boolean enabled) {
        apply();
        if (torch == null || context == null) return false;
        try {
            torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb").invokeVoid(new Object[] {context, (byte) (enabled ? 1 : 0)});
            mkldnnDisabled = !enabled;
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** Switches NNPACK off, and mkldnn too unless {@code keepMkldnn}; returns whether mkldnn is off. */
    private static boolean configureTorch(boolean keepMkldnn) {
        try {
            Engine.getEngine("PyTorch"); // loads libtorch
            Path lib = findTorchCpu();
            if (lib == null) return false;
            torch = NativeLibrary.getInstance(lib.toString());
            context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
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

    /** The ISA cap oneDNN will see (for logs and checkpoints), or null for none (the machine's best). */
    public static String current() {
        try {
            return Native.load("c", CLibrary.class).getenv("ONEDNN_MAX_CPU_ISA");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return System.getenv("ONEDNN_MAX_CPU_ISA");
        }
    }
}
