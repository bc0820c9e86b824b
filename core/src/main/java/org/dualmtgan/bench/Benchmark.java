package org.dualmtgan.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.Video;
import org.dualmtgan.model.CpuIsaGuard;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.model.TrainingStep;
import org.dualmtgan.run.TrainConfig;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The performance benchmark behind {@code dualmtgan bench}: training step time, inference latency,
 * data loading, FLOP rates against the machine's measured peak, scaling in T and frame size, and
 * native memory over many steps. Models are random-initialised (no trained weights needed) and fed
 * synthetic moving-square clips, except {@code data}, which loads the config's dataset. Results
 * go into a {@link BenchReport} (Markdown and JSON). Progress lines go to {@code log}.
 */
public final class Benchmark {
    /** The parts, in the order they run; "all" selects every one. */
    public static final List<String> PARTS = List.of("peak", "train", "profile", "transfer", "generate", "data", "scaling", "memory");

    /** What to measure and at which sizes. */
    public static final class Options {
        public TrainConfig config;
        /** Clips per training batch. */
        public int batch = 16;
        /** Measured training steps (after {@link #warmup}); for {@code memory} the total number of steps. */
        public int steps = 20;
        /** Untimed steps first (JIT, allocator, oneDNN kernel selection). */
        public int warmup = 3;
        /** Measured calls for each inference latency (after 2 untimed calls). */
        public int runs = 10;
        /** Measured steps per row of the scaling tables (after 1 untimed step). */
        public int scalingSteps = 3;
        /** Frames of the driving clip of the transfer latency. */
        public int drivingFrames = 16;
        /** Samples of the generate latency. */
        public int samples = 8;
        /** Side of the square float32 matrices of the peak measurement. */
        public int peakSize = 2048;
        /** Engine intra-op threads, or 0 for the engine's default. */
        public int threads;
        public long seed = 1;
        public Set<String> parts = new LinkedHashSet<>(PARTS);
        /** Where to write the engine profiler's trace of one more training step (chrome://tracing JSON), or null. */
        public java.nio.file.Path trace;
        /** The command line that started the run (recorded in the report). */
        public String command = "";
    }

    private final Options o;
    private final PrintWriter log;
    private final ModelConfig cfg;
    private final BenchReport report;
    private double peakGflops = Double.NaN;
    private double stepSeconds = Double.NaN;

    public Benchmark(Options options, PrintWriter log) {
        this.o = options;
        this.log = log;
        this.cfg = benchModel(options.config.model);
        this.report = new BenchReport();
    }

    /** The config's model with the adversarial terms at full weight from step 0, as in a step after the warm-up. */
    static ModelConfig benchModel(ModelConfig model) {
        ModelConfig c = model.copy();
        c.warmupSteps = 0;
        c.rampSteps = 0;
        return c;
    }

    /** Runs the selected parts and returns the report; the engine's thread count is restored afterwards. */
    public BenchReport run() {
        CpuIsaGuard.apply(); // loads the engine, whose native library the thread setting needs
        int threadsBefore = JniUtils.getNumThreads();
        if (o.threads > 0) JniUtils.setNumThreads(o.threads);
        try {
            report.header(o, cfg, JniUtils.getNumThreads());
            for (String part : PARTS) {
                if (!o.parts.contains(part)) continue;
                log.println("bench: " + part + " ...");
                log.flush();
                long t0 = System.nanoTime();
                switch (part) {
                    case "peak" -> peak();
                    case "train" -> train();
                    case "profile" -> profile();
                    case "transfer" -> transfer();
                    case "generate" -> generate();
                    case "data" -> data();
                    case "scaling" -> scaling();
                    case "memory" -> memory();
                    default -> throw new IllegalStateException(part);
                }
                log.printf(Locale.ROOT, "bench: %s done in %.1f s%n", part, (System.nanoTime() - t0) / 1e9);
                log.flush();
            }
            report.footer();
            return report;
        } finally {
            // The setting is process-wide: a library caller keeps its own.
            if (o.threads > 0) JniUtils.setNumThreads(threadsBefore);
        }
    }

    // ---- Peak: a large float32 matrix product through the same engine. ----

    private void peak() {
        int n = o.peakSize;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            for (int i = 0; i < 2; i++) a.matMul(b).close();
            int reps = 10;
            double[] secs = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                secs[i] = (System.nanoTime() - t0) / 1e9;
                c.close();
            }
            double flops = 2.0 * n * n * n;
            double best = min(secs);
            peakGflops = flops / best / 1e9;
            report.peak(n, reps, peakGflops, flops / median(secs) / 1e9);
        }
    }

    /** The measured peak, measuring it first if this run has not. */
    private double peakGflops() {
        if (Double.isNaN(peakGflops)) {
            log.println("bench: peak (needed for the fractions) ...");
            peak();
        }
        return peakGflops;
    }

    // ---- Training. ----

    private void train() {
        double[] secs = stepTimes(cfg, o.batch, o.warmup, o.steps, null, o.trace != null);
        stepSeconds = median(secs);
        FlopCount fc = new FlopCount(cfg);
        long flops = fc.trainingStepFlops(o.batch);
        double gflops = flops / stepSeconds / 1e9;
        report.train(o.batch, o.warmup, secs, stepSeconds, o.batch / stepSeconds, flops, fc.trainingForwardFlops(o.batch),
                gflops, gflops / peakGflops(), ProcessMemory.peakRssBytes(),
                fc.macsByNetwork(fc.trainingStep(o.batch)));
    }

    /**
     * Seconds per training step of a fresh model of {@code model} at {@code batch}: {@code warmup}
     * untimed steps, then {@code steps} timed ones. {@code afterStep} (may be null) sees each
     * 1-based step number.
     */
    private double[] stepTimes(ModelConfig model, int batch, int warmup, int steps, java.util.function.IntConsumer afterStep) {
        return stepTimes(model, batch, warmup, steps, afterStep, false);
    }

    private double[] stepTimes(ModelConfig model, int batch, int warmup, int steps, java.util.function.IntConsumer afterStep,
                               boolean trace) {
        try (NDManager m = NDManager.newBaseManager()) {
            DualMtgan net = DualMtgan.create(model, m, o.seed);
            TrainingStep ts = new TrainingStep(net, o.seed);
            NDArray v = SyntheticClips.movingSquares(m, 1, batch, model.frames, model.size);
            NDArray vy = SyntheticClips.movingSquares(m, 2, batch, model.frames, model.size);
            double[] secs = new double[steps];
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                ts.step(v, vy, i);
                double s = (System.nanoTime() - t0) / 1e9;
                if (i >= warmup) secs[i - warmup] = s;
                if (afterStep != null) afterStep.accept(i + 1);
            }
            if (trace) {
                // One more step under the engine's profiler: per-op times, outside the measured steps.
                JniUtils.startProfile(false, true, false);
                ts.step(v, vy, warmup + steps);
                JniUtils.stopProfile(o.trace.toAbsolutePath().toString());
                log.println("bench: wrote the profiler trace of one step to " + o.trace);
            }
            net.close();
            return secs;
        }
    }

    // ---- Profile: forward and backward of each network at the shapes of one training step. ----

    private void profile() {
        FlopCount fc = new FlopCount(cfg);
        List<FlopCount.Call> calls = fc.trainingStep(o.batch);
        int reps = 3;
        try (NDManager m = NDManager.newBaseManager()) {
            DualMtgan net = DualMtgan.create(cfg, m, o.seed);
            List<Object[]> rows = new ArrayList<>();
            for (FlopCount.Call call : calls) {
                double[] fwd = new double[reps];
                double[] bwd = new double[reps];
                for (int r = -1; r < reps; r++) {
                    double[] t = timeNetwork(net, m, call);
                    if (r >= 0) {
                        fwd[r] = t[0];
                        bwd[r] = t[1];
                    }
                }
                long macs = fc.macs(call);
                rows.add(new Object[] {call.network(), call.items(), median(fwd), median(bwd), 6.0 * macs});
            }
            net.close();
            report.profile(rows, Double.isNaN(stepSeconds) ? Double.NaN : stepSeconds);
        }
    }

    /** {forward seconds, backward seconds} of one network call in training mode on random inputs. */
    private double[] timeNetwork(DualMtgan net, NDManager m, FlopCount.Call call) {
        int s = cfg.size;
        long n = call.items();
        long t = call.frames();
        try (NDManager scope = m.newSubManager()) {
            for (NDArray p : net.allParameters().values()) scope.tempAttachAll(p);
            SplittableRandom r = new SplittableRandom(o.seed);
            NDArray[] inputs;
            NDList content = null;
            switch (call.network()) {
                case "E_C", "D_I" -> inputs = new NDArray[] {random(scope, r, n, 3, s, s), random(scope, r, n, 3, s, s)};
                case "E_M", "D_V" -> inputs = new NDArray[] {random(scope, r, n, t, 3, s, s)};
                case "R" -> inputs = new NDArray[] {random(scope, r, n, cfg.motionDim)};
                case "G" -> {
                    inputs = new NDArray[] {random(scope, r, n, 3, s, s), random(scope, r, n, t, cfg.motionCodeDim)};
                    content = net.contentEncoder().forward(false, inputs[0]); // E_C's output, no gradient
                }
                default -> throw new IllegalStateException(call.network());
            }
            double fwd;
            double bwd;
            try (GradientCollector gc = scope.getEngine().newGradientCollector()) {
                long t0 = System.nanoTime();
                NDList out = switch (call.network()) {
                    case "E_C" -> net.contentEncoder().forward(true, inputs[0]);
                    case "E_M" -> net.motionEncoder().forward(true, inputs[0]);
                    case "R" -> new NDList(net.motionDecoder().decode(inputs[0], (int) t, true));
                    case "G" -> new NDList(net.generator().generate(inputs[0], content, inputs[1], true));
                    case "D_I" -> new NDList(net.imageDiscriminator().score(inputs[0], inputs[1], true));
                    case "D_V" -> net.videoDiscriminator().forward(true, inputs[0]);
                    default -> throw new IllegalStateException(call.network());
                };
                NDArray loss = null;
                for (NDArray a : out) loss = loss == null ? a.mean() : loss.add(a.mean());
                loss.getFloat(); // the engine runs eagerly on CPU; reading the value is the barrier
                long t1 = System.nanoTime();
                gc.backward(loss);
                long t2 = System.nanoTime();
                fwd = (t1 - t0) / 1e9;
                bwd = (t2 - t1) / 1e9;
            }
            for (NDArray p : net.allParameters().values()) {
                if (p.hasGradient()) JniUtils.zeroGrad((PtNDArray) p);
            }
            return new double[] {fwd, bwd};
        }
    }

    private static NDArray random(NDManager m, SplittableRandom r, long... shape) {
        Shape s = new Shape(shape);
        float[] v = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return m.create(v, s);
    }

    // ---- Inference latency (batch 1), through the Java API users call. ----

    private void transfer() {
        FlopCount fc = new FlopCount(cfg);
        try (Animator model = Animator.create(cfg, o.seed)) {
            Video image = noise(1, cfg.size, 1);
            Video clip = noise(o.drivingFrames, cfg.size, 2);
            double[] ms = latency(() -> model.transfer(image, clip));
            long flops = fc.forwardFlops(fc.transfer(o.drivingFrames));
            report.inference("transfer", "transfer: 1 image, driving clip of " + o.drivingFrames + " frames",
                    ms, flops, peakGflops());
        }
    }

    private void generate() {
        FlopCount fc = new FlopCount(cfg);
        try (Animator model = Animator.create(cfg, o.seed)) {
            Video image = noise(1, cfg.size, 1);
            double[] ms = latency(() -> model.generate(image, o.samples, 7));
            long flops = fc.forwardFlops(fc.generate(o.samples, cfg.frames));
            report.inference("generate", "generate: 1 image, " + o.samples + " samples of " + cfg.frames + " frames",
                    ms, flops, peakGflops());
        }
    }

    /** Milliseconds of {@code call}: 2 untimed calls, then {@code runs} timed ones. */
    private double[] latency(Runnable call) {
        for (int i = 0; i < 2; i++) call.run();
        double[] ms = new double[o.runs];
        for (int i = 0; i < o.runs; i++) {
            long t0 = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static Video noise(int frames, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[frames * 3 * size * size];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
        return new Video(v, frames, size, size, Video.DEFAULT_FPS);
    }

    // ---- Data loading. ----

    private void data() {
        TrainConfig c = o.config;
        if (c.data == null || c.data.path == null || c.data.path.isBlank()) {
            throw new org.dualmtgan.InvalidInputException("config has no data.path: the data benchmark needs a dataset");
        }
        int threads = c.train.threads;
        List<DataThroughput.Result> results = new ArrayList<>();
        for (boolean cached : new boolean[] {false, true}) {
            results.add(DataThroughput.measure(c.data, o.batch, cfg.frames, cfg.size, threads, Math.max(1, o.steps), cached));
        }
        report.data(c.data.path, threads, o.batch, results);
    }

    // ---- Scaling in T and in frame size. ----

    private void scaling() {
        Map<String, Double> cache = new LinkedHashMap<>();
        List<Object[]> rowsT = new ArrayList<>();
        for (int t : new int[] {8, 16, 32}) rowsT.add(scalingRow(t, 64, cache));
        List<Object[]> rowsS = new ArrayList<>();
        for (int s : new int[] {32, 64, 128}) rowsS.add(scalingRow(16, s, cache));
        report.scaling(o.batch, cfg.width, o.scalingSteps, rowsT, rowsS);
    }

    /** {T, size, seconds per step, FLOPs per step}. */
    private Object[] scalingRow(int t, int size, Map<String, Double> cache) {
        ModelConfig c = cfg.copy();
        c.frames = t;
        c.size = size;
        String key = t + "x" + size;
        Double secs = cache.get(key);
        if (secs == null) {
            log.printf(Locale.ROOT, "bench: scaling T %d, %dx%d ...%n", t, size, size);
            log.flush();
            secs = median(stepTimes(c, o.batch, 1, o.scalingSteps, null));
            cache.put(key, secs);
        }
        return new Object[] {t, size, secs, new FlopCount(c).trainingStepFlops(o.batch)};
    }

    // ---- Native memory over many steps. ----

    private void memory() {
        int total = Math.max(2, o.steps);
        int checkpoint = total >= 200 ? 100 : Math.max(1, total / 10);
        long[] rss = new long[2];
        double[] secs = stepTimes(cfg, o.batch, 0, total, step -> {
            if (step == checkpoint) rss[0] = ProcessMemory.rssBytes();
            if (step % 100 == 0) {
                log.printf(Locale.ROOT, "bench: memory step %d, RSS %.0f MiB%n", step, ProcessMemory.mib(ProcessMemory.rssBytes()));
                log.flush();
            }
        });
        rss[1] = ProcessMemory.rssBytes();
        report.memory(o.batch, total, checkpoint, rss[0], rss[1], ProcessMemory.peakRssBytes(), median(secs));
    }

    // ---- Statistics. ----

    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
