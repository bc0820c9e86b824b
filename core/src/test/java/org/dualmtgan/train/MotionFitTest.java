package org.dualmtgan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.data.ClipSampler;
import org.dualmtgan.model.DualMtgan;
import org.dualmtgan.model.KeypointEncoder;
import org.dualmtgan.model.Losses;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.model.TinyModels;
import org.dualmtgan.model.TrajectoryStep;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.run.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The motion prior stage: windows of detected keypoints, a step that trains the prior only, the stage end to end. */
class MotionFitTest {

    @Test
    void windowsFollowTheSamplersStrideAndHoldTheLastFrameOfShortVideos() {
        // Keypoints that store their frame index, in a 10-frame and a 3-frame video.
        float[][] longVideo = new float[10][2];
        float[][] shortVideo = new float[3][2];
        for (int f = 0; f < 10; f++) Arrays.fill(longVideo[f], f);
        for (int f = 0; f < 3; f++) Arrays.fill(shortVideo[f], 100 + f);
        ClipSampler sampler = new ClipSampler(4, 2, 2);
        float[] w = MotionFit.windows(List.of(longVideo, shortVideo), sampler, 64, 2, new SplittableRandom(3));
        assertEquals(64 * 4 * 2, w.length);
        int shortOnes = 0;
        for (int i = 0; i < 64; i++) {
            float first = w[i * 8];
            if (first >= 100) {
                // The short video cannot hold 4 frames at stride 2 or 1 beyond its 3: 100, 101, 102, 102.
                shortOnes++;
                assertArrayEquals(new float[] {100, 100, 101, 101, 102, 102, 102, 102}, Arrays.copyOfRange(w, i * 8, i * 8 + 8));
            } else {
                for (int f = 1; f < 4; f++) assertEquals(first + 2 * f, w[i * 8 + f * 2], "window " + i + " frame " + f);
                assertTrue(first + 6 <= 9, "the window lies inside the video");
            }
        }
        // Videos are drawn in proportion to their frames: about 3 of 13.
        assertTrue(shortOnes > 4 && shortOnes < 28, "short-video windows: " + shortOnes);
    }

    @Test
    void shiftAndScaleAugmentationMoveEachWindowRigidlyAndAreSeeded() {
        // One 6-frame video of two keypoints moving right at 0.1 a frame.
        float[][] v = new float[6][4];
        for (int f = 0; f < 6; f++) v[f] = new float[] {-0.2f + 0.1f * f, 0.3f, 0.2f + 0.1f * f, -0.1f};
        ClipSampler sampler = new ClipSampler(3, 1, 1);
        float[] plain = MotionFit.windows(List.<float[][]>of(v), sampler, 16, 4, new SplittableRandom(5));
        float[] shifted = MotionFit.windows(List.<float[][]>of(v), sampler, 16, 4, new SplittableRandom(5), 0.2, 0);
        float[] scaled = MotionFit.windows(List.<float[][]>of(v), sampler, 16, 4, new SplittableRandom(5), 0, 0.3);
        assertArrayEquals(shifted, MotionFit.windows(List.<float[][]>of(v), sampler, 16, 4, new SplittableRandom(5), 0.2, 0), "seeded");
        boolean moved = false;
        for (int w = 0; w < 16; w++) {
            int b = w * 12;
            float dx = shifted[b] - plain[b];
            float dy = shifted[b + 1] - plain[b + 1];
            assertTrue(Math.abs(dx) <= 0.2f + 1e-6f && Math.abs(dy) <= 0.2f + 1e-6f);
            moved |= Math.abs(dx) > 1e-3f;
            // The same offset for every keypoint of every frame: displacements are unchanged.
            for (int i = 0; i < 12; i += 2) {
                assertEquals(dx, shifted[b + i] - plain[b + i], 1e-5f);
                assertEquals(dy, shifted[b + i + 1] - plain[b + i + 1], 1e-5f);
            }
            // Scaled: each displacement from frame 1 is the plain one times one factor in [0.7, 1.3].
            float k = (scaled[b + 4] - scaled[b]) / (plain[b + 4] - plain[b]);
            assertTrue(k >= 0.7f - 1e-4f && k <= 1.3f + 1e-4f, "factor " + k);
            for (int i = 4; i < 12; i++) assertEquals(k * (plain[b + i] - plain[b + i % 4]), scaled[b + i] - scaled[b + i % 4], 1e-4f);
        }
        assertTrue(moved, "the windows were shifted");
    }

    @Test
    void aTrajectoryStepFitsThePriorAndLeavesTheRestOfTheModelAlone() {
        ModelConfig c = new ModelConfig();
        c.size = 32;
        c.frames = 6;
        c.width = 4;
        c.contentDim = 8;
        TinyModels.keypoints(c);
        try (NDManager manager = NDManager.newBaseManager();
             DualMtgan model = DualMtgan.create(c, manager, 5)) {
            Map<String, NDArray> prior = TrajectoryStep.priorParameters(model);
            assertTrue(prior.keySet().stream().anyMatch(k -> k.startsWith("R.")));
            assertTrue(prior.keySet().stream().noneMatch(k -> k.startsWith("E_M.detector.")), prior.keySet().toString());
            Map<String, float[]> before = values(model.allParameters());
            // 32 trajectories: each keypoint moves on a straight line at its own speed.
            SplittableRandom r = new SplittableRandom(9);
            float[] traj = new float[32 * 6 * 6];
            for (int b = 0; b < 32; b++) {
                for (int d = 0; d < 6; d++) {
                    float start = (float) (r.nextDouble() - 0.5);
                    float speed = (float) (0.2 * (r.nextDouble() - 0.5));
                    for (int t = 0; t < 6; t++) traj[(b * 6 + t) * 6 + d] = start + speed * t;
                }
            }
            NDArray trajectories = manager.create(traj, new Shape(32, 6, 6));
            TrajectoryStep step = new TrajectoryStep(model, 1, 1e-2);
            float first = step.step(trajectories, 0).get(Losses.L_TRAJ);
            float last = first;
            for (int k = 1; k < 80; k++) last = step.step(trajectories, k).get(Losses.L_TRAJ);
            assertTrue(last < 0.5f * first, "L_traj " + first + " -> " + last);
            Map<String, float[]> after = values(model.allParameters());
            for (String name : before.keySet()) {
                boolean same = Arrays.equals(before.get(name), after.get(name));
                if (prior.containsKey(name)) continue;
                assertTrue(same, name + " changed, but only the prior trains");
            }
            assertTrue(prior.keySet().stream().allMatch(k -> !Arrays.equals(before.get(k), after.get(k))), "every prior parameter trains");
        }
    }

    @Test
    void theTrainCommandRunsTheStageAfterTheImageStage(@TempDir Path dir) throws IOException {
        Path held = dir.resolve("held");
        Path video = Files.list(TrainerTest.data()).sorted().findFirst().orElseThrow();
        Files.createDirectories(held.resolve(video.getFileName()));
        try (var frames = Files.list(video)) {
            for (Path f : frames.toList()) Files.copy(f, held.resolve(video.getFileName()).resolve(f.getFileName()));
        }
        TrainConfig cfg = TrainerTest.tiny(2);
        TinyModels.keypoints(cfg.model);
        cfg.model.motionCodeDim = 2 * cfg.model.keypoints;
        cfg.model.frames = 4;
        cfg.train.evalEvery = 2;
        cfg.train.evalClips = 0;
        cfg.train.evalFrames = 0;
        cfg.train.evalSamples = 2;
        cfg.train.evalData = held.toString();
        cfg.train.motionSteps = 6;
        cfg.train.motionBatch = 8;
        cfg.train.motionEvalEvery = 3;
        Path run = dir.resolve("run");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, TrainerTest.main(out, err, "train", "--config", TrainerTest.writeConfig(dir, cfg).toString(),
                "--out", run.toString()), err.toString());
        assertTrue(out.toString().contains("motion prior step 3/6"), out.toString());
        Path motion = run.resolve("checkpoints").resolve(MotionFit.MOTION);
        Path best = run.resolve("checkpoints").resolve(Trainer.BEST);
        CheckpointInfo info = Checkpoint.readInfo(motion);
        assertEquals(CheckpointInfo.KIND_TRAINING, info.kind);
        assertTrue(info.motionSteps == 3 || info.motionSteps == 6, "kept step " + info.motionSteps);
        assertEquals(Checkpoint.readInfo(best).step, info.step, "the stage starts from best.ckpt");

        List<String> rows = Files.readAllLines(run.resolve("motion.csv"));
        assertTrue(rows.get(0).startsWith("step,wall_seconds,L_traj,L_KL,G_total,heldout_posterior_l1,heldout_best_l1,heldout_mean_l1,heldout_kl_nats"), rows.get(0));
        assertEquals(7, rows.size(), rows.toString());
        assertTrue(Files.isRegularFile(run.resolve("motion-heldout.csv")));
        assertTrue(Files.readAllLines(run.resolve("motion-heldout.csv")).get(0).contains(HeldOut.LATENT));

        // Only the prior differs from best.ckpt.
        try (NDManager m = NDManager.newBaseManager();
             Checkpoint a = Checkpoint.load(best, m);
             Checkpoint b = Checkpoint.load(motion, m)) {
            int changed = 0;
            for (Map.Entry<String, NDArray> e : a.parameters().entrySet()) {
                boolean same = Arrays.equals(e.getValue().toFloatArray(), b.parameters().get(e.getKey()).toFloatArray());
                boolean isPrior = e.getKey().startsWith("R.") || (e.getKey().startsWith("E_M.") && !e.getKey().startsWith("E_M.detector."));
                if (!isPrior) assertTrue(same, e.getKey() + " changed");
                else if (!same) changed++;
            }
            assertTrue(changed > 0, "the prior was fitted");
        }

        // fit-motion on the same checkpoint into another folder; a latent-motion checkpoint is refused by name.
        Path again = dir.resolve("again");
        assertEquals(0, TrainerTest.main(new StringWriter(), err, "fit-motion", "--from", best.toString(), "--out", again.toString(),
                "--steps", "3"), err.toString());
        assertTrue(Files.isRegularFile(again.resolve("checkpoints").resolve(MotionFit.MOTION)));

        // A learned prior fitted onto the same checkpoint (trained with N(0, I)): its head starts fresh and trains.
        TrainConfig learned = TrainConfig.read(run.resolve("config.json"));
        learned.model.trajectoryPrior = "learned";
        Path lp = dir.resolve("lp");
        Path lpConfig = dir.resolve("lp.json");
        Files.writeString(lpConfig, learned.toJson());
        assertEquals(0, TrainerTest.main(new StringWriter(), err, "fit-motion", "--from", best.toString(), "--config", lpConfig.toString(),
                "--out", lp.toString(), "--steps", "3"), err.toString());
        try (NDManager m = NDManager.newBaseManager();
             Checkpoint b = Checkpoint.load(lp.resolve("checkpoints").resolve(MotionFit.MOTION), m)) {
            assertTrue(b.parameters().keySet().stream().anyMatch(KeypointEncoder::isPriorParameter), b.parameters().keySet().toString());
        }
    }

    @Test
    void fitMotionRefusesALatentMotionModel(@TempDir Path dir) throws IOException {
        TrainConfig cfg = TrainerTest.tiny(2);
        Path run = dir.resolve("run");
        assertEquals(0, TrainerTest.main(new StringWriter(), new StringWriter(), "train", "--config",
                TrainerTest.writeConfig(dir, cfg).toString(), "--out", run.toString()));
        Path ckpt = Trainer.latestCheckpoint(run);
        StringWriter err = new StringWriter();
        assertEquals(2, TrainerTest.main(new StringWriter(), err, "fit-motion", "--from", ckpt.toString(), "--out", dir.resolve("m").toString()));
        assertTrue(err.toString().contains("model.motion = \"keypoints\""), err.toString());
        assertFalse(Files.exists(dir.resolve("m")), "nothing written");
    }

    private static Map<String, float[]> values(Map<String, NDArray> params) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }
}
