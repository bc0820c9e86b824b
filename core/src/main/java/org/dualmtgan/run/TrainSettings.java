package org.dualmtgan.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.dualmtgan.InvalidInputException;

/** The {@code train} section of a training config: schedule, batch, seed and output cadence. */
@JsonIgnoreProperties(ignoreUnknown = false)
public class TrainSettings {
    /** Total number of optimisation steps (one D step and one G step each). */
    public long steps = 1000;
    /** Clips per batch. */
    public int batch = 8;
    /** Seed of the run: model initialisation, data order and each step's noise derive from (seed, step). */
    public long seed = 1;
    /** Write a checkpoint every N steps (and always at the end, and on Ctrl-C). */
    public int checkpointEvery = 500;
    /** Write a sample sheet (PNG and GIF) and the loss plot every N steps. */
    public int sampleEvery = 250;
    /** Append a row of mean losses to losses.csv (and a log line off a terminal) every N steps. */
    public int logEvery = 10;
    /** How many of the latest checkpoints to keep. */
    public int keepCheckpoints = 3;
    /** Background threads that decode and prepare batches ahead of the step. */
    public int threads = 2;

    /** Evaluate on the held-out subset every N steps (heldout.csv, checkpoints/best.ckpt); 0: never. */
    public int evalEvery = 0;
    /** Held-out clips scored (0: all the subset gives). */
    public int evalClips = 16;
    /** Clips per held-out video, at evenly spaced starts. */
    public int evalPerVideo = 2;
    /** Frames per held-out clip (0: the model's T); the clips are taken at the data's stride. */
    public int evalFrames = 16;
    /** Stochastic samples per held-out clip (best-of-N, mean-of-N, diversity). */
    public int evalSamples = 10;
    /**
     * A folder of held-out videos to evaluate on instead of the split's test subset (every video in
     * it), for data whose test part lives apart, such as the synthetic domains' {@code --split test}.
     * A relative path resolves against the current directory.
     */
    public String evalData;

    /**
     * Steps of the motion prior stage after the image stage (keypoint motion, ({@code train.MotionFit})):
     * the trajectory VAE alone on {@link #motionBatch} keypoint windows a step; 0: no such stage.
     */
    public long motionSteps = 0;
    /** Keypoint windows per step of the motion prior stage. */
    public int motionBatch = 128;
    /** Learning rate of the motion prior stage. */
    public double motionLr = 1e-3;
    /** Score the prior on held-out trajectories every N steps of the motion prior stage (motion.csv). */
    public int motionEvalEvery = 250;
    /**
     * Augmentation of the motion prior stage's windows: each window's keypoints shifted by one
     * offset drawn uniformly in [-motionShift, motionShift] per axis (keypoint coordinates span
     * [-1, 1]), as if the person stood elsewhere; 0: off.
     */
    public double motionShift = 0;
    /**
     * As {@link #motionShift}: each window scaled about its first frame's keypoint centroid by a
     * factor drawn in [1 - motionScale, 1 + motionScale] (displacements scale with it), as if the
     * person were nearer or farther; 0: off.
     */
    public double motionScale = 0;

    public void validate() {
        if (motionSteps < 0) throw new InvalidInputException("train.motionSteps must be >= 0, got " + motionSteps);
        if (motionBatch < 2) throw new InvalidInputException("train.motionBatch must be >= 2, got " + motionBatch);
        if (!(motionLr > 0 && motionLr < 1)) throw new InvalidInputException("train.motionLr must be in (0, 1), got " + motionLr);
        if (motionEvalEvery < 1) throw new InvalidInputException("train.motionEvalEvery must be >= 1, got " + motionEvalEvery);
        if (!(motionShift >= 0 && motionShift <= 1)) throw new InvalidInputException("train.motionShift must be in [0, 1], got " + motionShift);
        if (!(motionScale >= 0 && motionScale < 1)) throw new InvalidInputException("train.motionScale must be in [0, 1), got " + motionScale);
        if (steps < 1) throw new InvalidInputException("train.steps must be >= 1, got " + steps);
        if (batch < 2) throw new InvalidInputException("train.batch must be >= 2 (targets are paired within a batch), got " + batch);
        if (checkpointEvery < 1) throw new InvalidInputException("train.checkpointEvery must be >= 1, got " + checkpointEvery);
        if (sampleEvery < 1) throw new InvalidInputException("train.sampleEvery must be >= 1, got " + sampleEvery);
        if (logEvery < 1) throw new InvalidInputException("train.logEvery must be >= 1, got " + logEvery);
        if (keepCheckpoints < 1) throw new InvalidInputException("train.keepCheckpoints must be >= 1, got " + keepCheckpoints);
        if (evalEvery < 0) throw new InvalidInputException("train.evalEvery must be >= 0, got " + evalEvery);
        if (evalClips < 0) throw new InvalidInputException("train.evalClips must be >= 0, got " + evalClips);
        if (evalPerVideo < 1) throw new InvalidInputException("train.evalPerVideo must be >= 1, got " + evalPerVideo);
        if (evalFrames < 0 || evalFrames == 1) throw new InvalidInputException("train.evalFrames must be 0 or >= 2, got " + evalFrames);
        if (evalSamples < 2) throw new InvalidInputException("train.evalSamples must be >= 2 (diversity needs a pair), got " + evalSamples);
        if (threads < 1) throw new InvalidInputException("train.threads must be >= 1, got " + threads);
    }
}
