package org.dualmtgan.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a checkpoint: how the model was made (provenance, as Tribuo records it) and
 * what the file holds. Readable without loading any tensor ({@link Checkpoint#readInfo}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointInfo {
    /** {@link #KIND_TRAINING}: parameters and both optimizers' states, resumable. */
    public static final String KIND_TRAINING = "training";
    /** {@link #KIND_INFERENCE}: the networks used at inference only (E_C, E_M, R, G), possibly float16. */
    public static final String KIND_INFERENCE = "inference";

    public int formatVersion = Checkpoint.FORMAT_VERSION;
    public String kind = KIND_TRAINING;
    /** Project version that wrote the file (ProjectInfo.version()). */
    public String projectVersion;
    /** ISO-8601 time of writing. */
    public String created;
    /** The effective training config (model, data, train sections). */
    public TrainConfig config;
    /** Fingerprint of the training subset (Dataset.fingerprint()). */
    public String dataFingerprint;
    /** Completed optimisation steps. */
    public long step;
    /** Steps of the motion prior stage (MotionFit) whose prior this file holds; 0: the image stage's own. */
    public long motionSteps;
    /** Run seed: with the step it determines the data order and every step's noise. */
    public long seed;
    /** Training wall time in seconds, summed over resumed sessions. */
    public double wallSeconds;
    /** Machine (OS, cores, Java) and engine device of the session that wrote the file. */
    public String machine;
    public String device;
    /** Parameter counts per network, as the model reports them. */
    public Map<String, Long> parameterCounts = new LinkedHashMap<>();
    /** Updates applied by each optimizer (generator side, discriminator side). */
    public Map<String, Long> optimizerSteps = new LinkedHashMap<>();
    /** Storage type of the floating-point tensors: float32 or float16. */
    public String storage = "float32";
    /** Names of the tensor sections that follow the header, in order. */
    public List<String> sections = new ArrayList<>();
    /**
     * The loss log's row in progress at this step (term to running sum, and its steps), so that a
     * resumed run's losses.csv equals an uninterrupted run's; null in checkpoints written before.
     */
    public Map<String, Double> logWindowSums;
    public int logWindowSteps;
    /** Evaluation results added after training (name to value). */
    public Map<String, Double> metrics = new LinkedHashMap<>();
}
