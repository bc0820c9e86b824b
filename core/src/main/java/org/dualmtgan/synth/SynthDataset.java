package org.dualmtgan.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.PngEncoder;
import org.dualmtgan.media.Video;
import org.dualmtgan.util.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Renders a synthetic dataset to a folder: {@code DIR/<clip id>/00.png .. NN.png} plus
 * {@code clip.json} per clip, and {@code DIR/dataset.json}. The folder appears complete or not at
 * all. Clip i is drawn from its own seed ({@link #clipSeed}), so the output does not depend on how
 * the clips are spread over threads.
 */
public final class SynthDataset {
    public static final int FORMAT_VERSION = 1;
    public static final String DATASET_FILE = "dataset.json";
    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 256;
    public static final int MAX_FRAMES = 1000;
    public static final int MAX_VIDEOS = 10_000_000;

    private SynthDataset() {}

    /** What {@link #generate} wrote. */
    public record Summary(Path dir, String domain, int clips, double seconds) {}

    public static Summary generate(String domain, int videos, int frames, int size, long seed, Split split, Path out)
            throws IOException {
        return generate(domain, videos, frames, size, seed, split, out, Domains.defaultDataDir());
    }

    /** As above, with the folder holding {@code mnist/} given explicitly (null: the default). */
    public static Summary generate(String domain, int videos, int frames, int size, long seed, Split split, Path out,
                                   Path dataDir) throws IOException {
        validate(videos, frames, size);
        Domain d = Domains.byName(domain, dataDir != null ? dataDir : Domains.defaultDataDir());
        checkTarget(out);
        long start = System.nanoTime();
        // Sampling is cheap and serial (it also reads the MNIST files before anything is written).
        List<SynthClip> specs = new ArrayList<>(videos);
        for (int i = 0; i < videos; i++) specs.add(sample(d, seed, i, split, frames, size, false));
        int width = Math.max(2, String.valueOf(frames - 1).length());
        List<String> ids = new ArrayList<>(videos);
        for (int i = 0; i < videos; i++) ids.add(clipId(d.name(), i, videos));
        AtomicFiles.writeDirectory(out, tmp -> {
            try {
                IntStream.range(0, videos).parallel().forEach(i -> {
                    SynthClip spec = specs.get(i);
                    Video v = d.render(spec.content(), spec.motion(), frames, size);
                    SynthClip clip = new SynthClip(spec.domain(), split, spec.seed(), frames, size, spec.content(),
                            spec.motion(), d.keypoints(spec.content(), spec.motion(), frames, size));
                    try {
                        writeClip(tmp.resolve(ids.get(i)), clip, v, width);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("domain", d.name());
            info.put("count", videos);
            info.put("seed", seed);
            info.put("split", split.id());
            info.put("version", FORMAT_VERSION);
            info.put("frames", frames);
            info.put("size", size);
            info.put("clips", ids);
            Files.writeString(tmp.resolve(DATASET_FILE), json(info));
        });
        return new Summary(out, d.name(), videos, (System.nanoTime() - start) / 1e9);
    }

    /** Bad sizes and counts, named. */
    public static void validate(int videos, int frames, int size) {
        if (videos < 1 || videos > MAX_VIDEOS) {
            throw new InvalidInputException("--videos must be between 1 and " + MAX_VIDEOS + ", got " + videos);
        }
        if (frames < 2 || frames > MAX_FRAMES) {
            throw new InvalidInputException("--frames must be between 2 and " + MAX_FRAMES + ", got " + frames);
        }
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new InvalidInputException("--size must be between " + MIN_SIZE + " and " + MAX_SIZE + ", got " + size);
        }
    }

    /** Refuses to replace anything that is not an earlier synthetic dataset. */
    private static void checkTarget(Path out) throws IOException {
        if (!Files.exists(out)) return;
        if (!Files.isDirectory(out)) throw new InvalidInputException(out, "exists and is not a folder");
        boolean empty;
        try (Stream<Path> s = Files.list(out)) {
            empty = s.findAny().isEmpty();
        }
        if (!empty && !Files.isRegularFile(out.resolve(DATASET_FILE))) {
            throw new InvalidInputException(out, "exists, is not empty and holds no " + DATASET_FILE
                    + "; refusing to replace it");
        }
    }

    /** The seed of clip {@code index} of a dataset drawn with {@code seed}. */
    public static long clipSeed(long seed, int index) {
        return Noise.mix(seed + 0x9E3779B97F4A7C15L * (index + 1L));
    }

    /** The name of clip {@code index}'s folder. */
    public static String clipId(String domain, int index, int count) {
        int width = Math.max(5, String.valueOf(count - 1).length());
        return domain + "_" + String.format("%0" + width + "d", index);
    }

    /**
     * Clip {@code index} of a dataset, without rendering: its content and motion, and its keypoints
     * when {@code withKeypoints}.
     */
    public static SynthClip sample(Domain d, long seed, int index, Split split, int frames, int size, boolean withKeypoints) {
        long s = clipSeed(seed, index);
        SplittableRandom r = new SplittableRandom(s);
        Content c = d.sampleContent(r, split);
        Motion m = d.sampleMotion(r, split);
        return new SynthClip(d.name(), split, s, frames, size, c, m, withKeypoints ? d.keypoints(c, m, frames, size) : List.of());
    }

    /** Writes one clip folder: its frames as PNG and its record. */
    static void writeClip(Path dir, SynthClip clip, Video v, int nameWidth) throws IOException {
        Files.createDirectories(dir);
        for (int t = 0; t < v.frames(); t++) {
            Path f = dir.resolve(String.format("%0" + nameWidth + "d.png", t));
            Files.write(f, PngEncoder.encode(v, t));
        }
        Files.writeString(dir.resolve(SynthClip.FILE), clip.toJson());
    }

    private static String json(Object o) {
        try {
            return SynthClip.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
