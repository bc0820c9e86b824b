package org.dualmtgan.eval;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.data.DataConfig;
import org.dualmtgan.data.Dataset;
import org.dualmtgan.data.Datasets;
import org.dualmtgan.data.Subset;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Preprocess;
import org.dualmtgan.media.Video;
import org.dualmtgan.synth.Domain;
import org.dualmtgan.synth.Domains;
import org.dualmtgan.synth.Keypoint;
import org.dualmtgan.synth.SynthClip;
import org.dualmtgan.run.TrainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Which clips an evaluation scores, taken the same way for every protocol and every model.
 *
 * <p>A clip is {@code frames} frames at stride {@code stride} from the start of a video (or from
 * {@code perVideo} evenly spaced starts), at the model's size by the media package's policy
 * (centre square crop, area resize). Videos too short for one clip are skipped and counted.
 */
public final class EvalData {
    private EvalData() {}

    /** One evaluated clip: {@code id} is the video's id, with {@code @start} when several clips come from one video. */
    public record Clip(String id, Video video) implements java.io.Serializable {}

    /** The clips, how many videos were too short, where they came from and the data's fingerprint. */
    public record Clips(List<Clip> clips, int skipped, String source, String fingerprint) {}

    /**
     * One case of the transfer protocol: content image {@code image} (frame 0 of clip
     * {@code contentClip}), driving video {@code driving} (clip {@code motionClip}), the true
     * result {@code truth = render(content of contentClip, motion of motionClip)} and its
     * keypoints {@code [T][K][2]} at the model's size.
     */
    public record TransferCase(String id, String contentClip, String motionClip, Video image, Video driving,
                               Video truth, double[][][] keypoints, List<String> keypointNames) implements java.io.Serializable {}

    public record TransferSet(List<TransferCase> cases, int skipped, String source, String fingerprint, String domain) {}

    /** What to take: a dataset folder (null: the model's own config, its test subset) and how. */
    public static final class Selection {
        /** Dataset folder; null to use the model's training config and its held-out subset. */
        public Path data;
        /** Frames per clip; 0 for the model's T. */
        public int frames;
        /** Stride between frames; 0 for the stride of the model's training data (1 if it sampled random strides). */
        public int stride;
        /** Most clips (0: all). */
        public int clips;
        /** Clips per video, at evenly spaced starts. */
        public int perVideo = 1;
    }

    /** Resolves 0s of a selection against the model's T and its training config. */
    public static int frames(Selection s, int modelFrames) {
        return s.frames > 0 ? s.frames : modelFrames;
    }

    public static int stride(Selection s, TrainConfig trained) {
        if (s.stride > 0) return s.stride;
        if (s.data == null && trained != null && trained.data != null && trained.data.stride > 0) return trained.data.stride;
        if (s.data != null && trained != null && trained.data != null && trained.data.stride > 0) return trained.data.stride;
        return 1;
    }

    /**
     * The clips of the selection: {@code --data} (all its videos; a folder with {@code dataset.json}
     * or any layout the data package reads) or, without it, the held-out TEST subset of the
     * model's training data ({@code trained.data}: its path and split rule).
     */
    public static Clips clips(Selection s, TrainConfig trained, int size, int modelFrames) {
        int frames = frames(s, modelFrames);
        int stride = stride(s, trained);
        if (frames < 2) throw new InvalidInputException("--frames must be >= 2, got " + frames);
        if (s.clips < 0) throw new InvalidInputException("--clips must be >= 0, got " + s.clips);
        if (s.perVideo < 1) throw new InvalidInputException("--per-video must be >= 1, got " + s.perVideo);
        Dataset ds;
        String source;
        if (s.data != null) {
            DataConfig dc = new DataConfig(s.data.toString());
            ds = Datasets.open(dc, Subset.ALL);
            source = s.data.toString() + " (all videos)";
        } else {
            if (trained == null || trained.data == null || trained.data.path == null) {
                throw new InvalidInputException("the model records no training data: give --data DIR");
            }
            DataConfig dc = trained.data;
            ds = Datasets.open(dc, Subset.TEST);
            source = dc.path + ("none".equals(dc.split.rule)
                    ? " (split rule 'none': no held-out part, so these are the training videos; give --data for a test set)"
                    : " (test subset, split rule '" + dc.split.rule + "')");
        }
        int span = (frames - 1) * stride + 1;
        List<Clip> out = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < ds.size() && (s.clips == 0 || out.size() < s.clips); i++) {
            Video v = ds.video(i, size);
            if (v.frames() < span) {
                skipped++;
                continue;
            }
            int room = v.frames() - span;
            for (int j = 0; j < s.perVideo && (s.clips == 0 || out.size() < s.clips); j++) {
                int start = s.perVideo == 1 ? 0 : (int) ((long) room * j / (s.perVideo - 1));
                String id = ds.entry(i).id() + (s.perVideo == 1 ? "" : "@" + start);
                out.add(new Clip(id, v.strided(start, stride, frames)));
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(ds.root(), "no video has the " + span + " frames a clip of " + frames
                    + " at stride " + stride + " needs (" + skipped + " too short)");
        }
        return new Clips(out, skipped, source, ds.fingerprint());
    }

    /**
     * Transfer cases from a synthetic dataset folder ({@code clip.json} per clip, as written by
     * {@code dualmtgan synth}): the first {@code s.clips} clips in id order (all if 0); clip i's
     * content is paired with the motion of clip {@code perm[i]}, a derangement drawn with
     * {@code seed} (Sattolo's shuffle: one cycle, so no clip drives itself).
     */
    public static TransferSet transferCases(Selection s, TrainConfig trained, int size, int modelFrames, long seed) {
        if (s.data == null) throw new InvalidInputException("the transfer protocol needs --data DIR: a synthetic dataset (dualmtgan synth)");
        int frames = frames(s, modelFrames);
        int stride = stride(s, trained);
        Path dir = s.data;
        if (!Files.isDirectory(dir)) throw new InvalidInputException(dir, "not a folder");
        List<Path> folders;
        try (Stream<Path> list = Files.list(dir)) {
            folders = list.filter(p -> Files.isRegularFile(p.resolve(SynthClip.FILE))).sorted().toList();
        } catch (IOException e) {
            throw new InvalidInputException(dir, "cannot list: " + e.getMessage(), e);
        }
        if (folders.isEmpty()) throw new InvalidInputException(dir, "no synthetic clips (folders with " + SynthClip.FILE + "): make some with 'dualmtgan synth'");
        if (s.clips > 0 && folders.size() > s.clips) folders = folders.subList(0, s.clips);
        if (folders.size() < 2) throw new InvalidInputException(dir, "the transfer protocol pairs clips: it needs at least 2");
        List<SynthClip> records = new ArrayList<>();
        for (Path f : folders) records.add(SynthClip.read(f));
        String domainName = records.get(0).domain();
        for (int i = 1; i < records.size(); i++) {
            if (!records.get(i).domain().equals(domainName)) {
                throw new InvalidInputException(folders.get(i), "domain '" + records.get(i).domain() + "' differs from '" + domainName + "'");
            }
        }
        Domain domain = Domains.byName(domainName);
        int[] perm = derangement(records.size(), seed);
        int span = (frames - 1) * stride + 1;
        Preprocess resize = Preprocess.forModel(size);
        List<TransferCase> cases = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < records.size(); i++) {
            SynthClip c = records.get(i);
            SynthClip m = records.get(perm[i]);
            if (m.frames() < span) {
                skipped++;
                continue;
            }
            Video image = MediaReader.readVideo(folders.get(i), MediaReader.Layout.FRAMES,
                    Preprocess.builder().size(size).frames(1).build());
            Video driving = MediaReader.readVideo(folders.get(perm[i]), MediaReader.Layout.FRAMES,
                    Preprocess.builder().size(size).every(stride).frames(frames).build());
            // The truth goes through the same 8-bit quantisation and resize as the frames on disk.
            Video truth = resize.applySpatial(quantize(domain.render(c.content(), m.motion(), m.frames(), m.size())
                    .strided(0, stride, frames)));
            List<List<Keypoint>> kp = domain.keypoints(c.content(), m.motion(), m.frames(), m.size());
            double scale = (double) size / m.size();
            double[][][] points = new double[frames][][];
            List<String> names = new ArrayList<>();
            for (Keypoint k : kp.get(0)) names.add(k.name());
            for (int t = 0; t < frames; t++) {
                List<Keypoint> row = kp.get(t * stride);
                points[t] = new double[row.size()][];
                // Pixel centres map as (x + 0.5) * scale - 0.5 under an area resize.
                for (int k = 0; k < row.size(); k++) {
                    points[t][k] = new double[] {(row.get(k).x() + 0.5) * scale - 0.5, (row.get(k).y() + 0.5) * scale - 0.5};
                }
            }
            String ci = folders.get(i).getFileName().toString();
            String mi = folders.get(perm[i]).getFileName().toString();
            cases.add(new TransferCase(ci + "<-" + mi, ci, mi, image, driving, truth, points, names));
        }
        if (cases.isEmpty()) throw new InvalidInputException(dir, "no clip has the " + span + " frames the evaluation needs");
        Dataset ds = Datasets.open(new DataConfig(dir.toString()), Subset.ALL);
        return new TransferSet(cases, skipped, dir.toString(), ds.fingerprint(), domainName);
    }

    /** A uniformly drawn cyclic permutation of 0..n-1 (Sattolo): {@code perm[i] != i} for n >= 2. */
    static int[] derangement(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Rounds to 8 bits per value, as a PNG on disk holds it. */
    static Video quantize(Video v) {
        float[] d = v.data().clone();
        for (int i = 0; i < d.length; i++) d[i] = Math.round(Math.max(0f, Math.min(1f, d[i])) * 255f) * (1f / 255f);
        return new Video(d, v.frames(), v.height(), v.width(), v.fps());
    }
}
