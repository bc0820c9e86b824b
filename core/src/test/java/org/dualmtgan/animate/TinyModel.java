package org.dualmtgan.animate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.media.Video;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.model.TrainingStep;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.run.TrainConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny Dual-MTGAN trained for a few seconds on moving squares (seeded), saved as a training
 * checkpoint, shared by the animate and CLI tests.
 */
public final class TinyModel {
    public static final int SIZE = 32;
    public static final int FRAMES = 8;
    /**
     * Optimisation steps of the fixture (reconstruction, L_C, L_M, KL and latent terms only). Few:
     * the tests check the API's mechanics, not quality, and a step takes about a second here.
     */
    public static final int STEPS = 6;
    private static Path shared;

    private TinyModel() {}

    public static ModelConfig config() {
        ModelConfig c = new ModelConfig();
        c.size = SIZE;
        c.frames = FRAMES;
        c.width = 8;
        c.contentDim = 16;
        c.motionDim = 8;
        c.motionCodeDim = 16;
        // The adversarial terms stay off: a few steps should learn reconstruction, not a GAN game.
        c.lambdaI = 0;
        c.lambdaV = 0;
        c.warmupSteps = 0;
        c.rampSteps = 0;
        c.lr = 2e-3;
        return c;
    }

    /**
     * The fixture trained once per JVM (test classes share it) into a temporary folder removed at
     * exit; a training checkpoint.
     */
    public static synchronized Path shared() throws IOException {
        if (shared == null) {
            Path dir = java.nio.file.Files.createTempDirectory("dualmtgan-animate-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> org.dualmtgan.util.AtomicFiles.deleteRecursively(dir)));
            shared = train(dir.resolve("tiny.ckpt"));
        }
        return shared;
    }

    /**
     * An untrained keypoint-motion model of the fixture's size and clip length (K = 3), written as a
     * training checkpoint to {@code file}: for the mechanics of keypoint-only options.
     */
    public static Path keypointModel(Path file) throws IOException {
        ModelConfig cfg = org.dualmtgan.model.TinyModels.keypoints(config());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             DualMtgan model = DualMtgan.create(cfg, manager, 3)) {
            CheckpointInfo info = new CheckpointInfo();
            TrainConfig tc = new TrainConfig();
            tc.name = "tiny-keypoints-test";
            tc.model = cfg;
            info.config = tc;
            info.parameterCounts = new LinkedHashMap<>(model.parameterCounts());
            Map<String, Map<String, NDArray>> sections = new LinkedHashMap<>();
            sections.put(Checkpoint.PARAMETERS, model.allParameters());
            sections.put(Checkpoint.GENERATOR_OPTIMIZER, new LinkedHashMap<>());
            sections.put(Checkpoint.DISCRIMINATOR_OPTIMIZER, new LinkedHashMap<>());
            Checkpoint.save(file, info, sections, DataType.FLOAT32);
        }
        return file;
    }

    /** Trains the fixture and writes a training checkpoint to {@code file}; returns the file. */
    public static Path train(Path file) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        ModelConfig cfg = config();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             DualMtgan model = DualMtgan.create(cfg, manager, 3)) {
            TrainingStep step = new TrainingStep(model, 5);
            for (int s = 0; s < STEPS; s++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray source = movingSquares(batch, 100 + s, 2);
                    NDArray target = movingSquares(batch, 10_000 + s, 2);
                    step.step(source, target, s);
                }
            }
            CheckpointInfo info = new CheckpointInfo();
            TrainConfig tc = new TrainConfig();
            tc.name = "tiny-animate-test";
            tc.model = cfg;
            info.config = tc;
            info.step = STEPS;
            info.seed = 5;
            info.parameterCounts = new LinkedHashMap<>(model.parameterCounts());
            Map<String, Map<String, NDArray>> sections = new LinkedHashMap<>();
            sections.put(Checkpoint.PARAMETERS, model.allParameters());
            sections.put(Checkpoint.GENERATOR_OPTIMIZER, new LinkedHashMap<>());
            sections.put(Checkpoint.DISCRIMINATOR_OPTIMIZER, new LinkedHashMap<>());
            Checkpoint.save(file, info, sections, DataType.FLOAT32);
        }
        return file;
    }

    /**
     * {@code batch} clips (B, T, 3, S, S) in [-1, 1]: a coloured square that moves 2 px per frame
     * in a seeded direction over a seeded, flat background.
     */
    static NDArray movingSquares(NDManager m, long seed, int batch) {
        int fs = 3 * SIZE * SIZE;
        float[] all = new float[batch * FRAMES * fs];
        for (int b = 0; b < batch; b++) {
            Video v = squareVideo(seed * 31 + b, FRAMES);
            System.arraycopy(v.data(), 0, all, b * FRAMES * fs, FRAMES * fs);
        }
        return m.create(all, new Shape(batch, FRAMES, 3, SIZE, SIZE)).mul(2f).sub(1f);
    }

    /** One moving-square video of {@code frames} frames in [0, 1] (wraps around the borders). */
    public static Video squareVideo(long seed, int frames) {
        SplittableRandom r = new SplittableRandom(seed);
        int side = SIZE / 4;
        int x0 = r.nextInt(SIZE);
        int y0 = r.nextInt(SIZE);
        int[][] dirs = {{2, 0}, {-2, 0}, {0, 2}, {0, -2}, {2, 2}, {-2, -2}};
        int[] d = dirs[r.nextInt(dirs.length)];
        float[] fg = {(float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble()};
        float[] bg = {(float) r.nextDouble() * 0.3f, (float) r.nextDouble() * 0.3f, (float) r.nextDouble() * 0.3f};
        int fs = 3 * SIZE * SIZE;
        float[] data = new float[frames * fs];
        for (int t = 0; t < frames; t++) {
            int x = Math.floorMod(x0 + d[0] * t, SIZE);
            int y = Math.floorMod(y0 + d[1] * t, SIZE);
            for (int c = 0; c < 3; c++) {
                for (int yy = 0; yy < SIZE; yy++) {
                    for (int xx = 0; xx < SIZE; xx++) {
                        boolean in = Math.floorMod(xx - x, SIZE) < side && Math.floorMod(yy - y, SIZE) < side;
                        data[t * fs + (c * SIZE + yy) * SIZE + xx] = in ? fg[c] : bg[c];
                    }
                }
            }
        }
        return new Video(data, frames, SIZE, SIZE, 25);
    }
}
