package org.dualmtgan.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.dualmtgan.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a dataset is and how to read and split it: the {@code data} section of a training config.
 * Relative paths resolve against the working directory.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataConfig {
    /** Folder of the dataset. */
    public String path;
    /** How videos are stored: auto, frames (a folder per video), files (video files, recursive), strips. */
    public String layout = "auto";
    /** Keep every N-th frame of each video before clips are sampled (temporal subsampling). */
    public int every = 1;
    /** Stride between the frames of one sampled clip; 0 picks a random stride in [1, maxStride] per clip. */
    public int stride = 1;
    /** Upper bound of the random stride when {@code stride = 0}. */
    public int maxStride = 1;
    /** Train/test split. */
    public SplitConfig split = new SplitConfig();
    /** Per-clip augmentation of training clips (null: none); held-out clips are never augmented. */
    public Augment.Settings augment;
    /** Memory budget for decoded videos kept between epochs, in MiB. */
    public int cacheMiB = 2048;

    public DataConfig() {}

    public DataConfig(String path) {
        this.path = path;
    }

    public void validate() {
        if (path == null || path.isBlank()) throw new InvalidInputException("data.path is not set (use --data DIR)");
        if (every < 1) throw new InvalidInputException("data.every must be >= 1, got " + every);
        if (stride < 0) throw new InvalidInputException("data.stride must be >= 0, got " + stride);
        if (stride == 0 && maxStride < 1) throw new InvalidInputException("data.maxStride must be >= 1");
        Layout.parse(layout);
        split.validate();
        if (augment != null) augment.validate();
    }

    /**
     * How videos are assigned to the train and test subsets.
     * <ul>
     *   <li>{@code none}: every video is in both subsets (for data without a held-out part);</li>
     *   <li>{@code list}: {@code testList} names the test videos (ids relative to the data folder, one a line), all
     *       others train; or {@code trainList} names the training videos, all others test;</li>
     *   <li>{@code identity}: an identity number is read from each id with {@code pattern} (first group, an integer)
     *       and divided by {@code divisor}; identities in {@code testIdentities} are the test subset
     *       (Weizmann: person id = file number / 8);</li>
     *   <li>{@code fraction}: a seeded hash of the id puts {@code testFraction} of the videos in test.</li>
     * </ul>
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SplitConfig {
        public String rule = "none";
        public String testList;
        public String trainList;
        public String pattern = "(\\d+)\\D*$";
        public int divisor = 1;
        public List<Integer> testIdentities = new ArrayList<>();
        public double testFraction = 0.1;

        public void validate() {
            switch (rule) {
                case "none", "identity", "fraction" -> { }
                case "list" -> {
                    if (testList == null && trainList == null) {
                        throw new InvalidInputException("data.split rule 'list' needs testList or trainList");
                    }
                }
                default -> throw new InvalidInputException("unknown data.split.rule '" + rule
                        + "' (expected none, list, identity or fraction)");
            }
            if (divisor < 1) throw new InvalidInputException("data.split.divisor must be >= 1");
            if (testFraction < 0 || testFraction > 1) throw new InvalidInputException("data.split.testFraction must be in [0, 1]");
        }
    }
}
