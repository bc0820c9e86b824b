package org.dualmtgan.spark;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One row of a pairs file: a transfer (an image and a driving video) or a generation (an image, a
 * number of samples and a seed). Columns (a header line names them; any order, others ignored):
 * <pre>
 *   image     the target image (or a video: its first frame)            required
 *   driving   the driving video: the row is a transfer                   transfer
 *   samples   how many videos to sample: the row is a generation         generation (default 1)
 *   seed      seed of the motion draws                                   generation (default 0)
 *   frames    frames per generated video (default: the model's T)        optional
 *   name      the output's name (default: from the row, see below)      optional
 * </pre>
 * Without a {@code name}, a row's output is named {@code NNNNN-IMAGE-DRIVING} (transfer) or
 * {@code NNNNN-IMAGE-sS} (generation), {@code NNNNN} the row's number in the file (from 0) and
 * IMAGE, DRIVING the file names without their extensions, so names are unique and stable.
 * A row that cannot be parsed keeps its problem, which the job reports instead of running it.
 *
 * @param index   the row's number in the pairs file (0 for the first row after the header)
 * @param problem why the row cannot run, or null
 */
record BatchRow(long index, String name, String image, String driving, int samples, long seed, int frames, String problem)
        implements Serializable {
    static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    boolean isTransfer() {
        return driving != null;
    }

    /** The row from its cells (null or blank: absent). */
    static BatchRow parse(long index, String image, String driving, String samples, String seed, String frames, String name) {
        image = blankToNull(image);
        driving = blankToNull(driving);
        name = blankToNull(name);
        String problem = null;
        int n = 1;
        long s = 0;
        int t = 0;
        try {
            if (image == null) problem = "no image";
            if (blankToNull(samples) != null) n = Integer.parseInt(samples.trim());
            if (blankToNull(seed) != null) s = Long.parseLong(seed.trim());
            if (blankToNull(frames) != null) t = Integer.parseInt(frames.trim());
        } catch (NumberFormatException e) {
            problem = "not a number: " + e.getMessage().replace("For input string: ", "");
        }
        if (problem == null && driving != null && (blankToNull(samples) != null || blankToNull(seed) != null)) {
            problem = "a row is a transfer (driving) or a generation (samples, seed), not both";
        }
        if (problem == null && (n < 1 || n > org.dualmtgan.animate.Animator.MAX_COUNT)) {
            problem = "samples must be between 1 and " + org.dualmtgan.animate.Animator.MAX_COUNT + ", got " + n;
        }
        if (problem == null && (t < 0 || t > org.dualmtgan.animate.Animator.MAX_COUNT)) {
            problem = "frames must be between 1 and " + org.dualmtgan.animate.Animator.MAX_COUNT + ", got " + t;
        }
        if (problem == null && name != null && !SAFE_NAME.matcher(name).matches()) {
            problem = "name '" + name + "' is not a plain file name (letters, digits, . _ -; up to 128)";
        }
        String shown = name != null && problem == null ? name : defaultName(index, image, driving, s);
        return new BatchRow(index, shown, image, driving, n, s, t, problem);
    }

    static String defaultName(long index, String image, String driving, long seed) {
        String base = String.format(Locale.ROOT, "%05d-%s", index, stem(image));
        return driving != null ? base + "-" + stem(driving) : base + "-s" + seed;
    }

    /** A file name without its folder and extension, reduced to safe characters. */
    static String stem(String path) {
        if (path == null) return "none";
        String p = path.replaceAll("[/\\\\]+$", "");
        String n = p.substring(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
        int dot = n.lastIndexOf('.');
        if (dot > 0) n = n.substring(0, dot);
        n = n.replaceAll("[^A-Za-z0-9._-]", "_");
        return n.isEmpty() ? "none" : n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
