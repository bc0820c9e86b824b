package org.dualmtgan.data;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.MediaReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds the videos of a dataset folder and splits them into train and test subsets. */
public final class Datasets {
    private Datasets() {}

    /** The subset of the configured dataset. */
    public static Dataset open(DataConfig cfg, Subset subset) {
        cfg.validate();
        Path root = Path.of(cfg.path);
        List<VideoEntry> all = scan(root, Layout.parse(cfg.layout));
        List<VideoEntry> chosen = subset == Subset.ALL ? all : split(all, cfg.split, root).get(subset);
        if (chosen.isEmpty()) {
            throw new InvalidInputException(root, "the " + subset.name().toLowerCase(Locale.ROOT)
                    + " subset is empty under split rule '" + cfg.split.rule + "' (" + all.size() + " videos in all)");
        }
        String name = root.getFileName() == null ? root.toString() : root.getFileName().toString();
        return new Dataset(name + ":" + subset.name().toLowerCase(Locale.ROOT), root, chosen, cfg.every,
                (long) cfg.cacheMiB << 20);
    }

    /** All videos under {@code root}, sorted by id. A single video file or strip is a dataset of one. */
    public static List<VideoEntry> scan(Path root, Layout layout) {
        if (!Files.exists(root)) throw new InvalidInputException(root, "no such file or folder");
        if (Files.isRegularFile(root)) {
            Layout l = layout == Layout.AUTO ? (MediaReader.looksLikeStrip(root) ? Layout.STRIPS : Layout.FILES) : layout;
            return List.of(new VideoEntry(root.getFileName().toString(), root, l));
        }
        List<VideoEntry> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = walk.sorted().toList();
            if (layout == Layout.AUTO || layout == Layout.FRAMES) {
                for (Path p : paths) {
                    if (Files.isDirectory(p) && !p.equals(root) && containsFrames(p)) out.add(entry(root, p, Layout.FRAMES));
                }
                if (!out.isEmpty() || layout == Layout.FRAMES) return finish(root, out, layout);
            }
            if (layout == Layout.AUTO || layout == Layout.STRIPS) {
                for (Path p : paths) {
                    if (Files.isRegularFile(p) && MediaReader.looksLikeStrip(p)) out.add(entry(root, p, Layout.STRIPS));
                }
                if (!out.isEmpty() || layout == Layout.STRIPS) return finish(root, out, layout);
            }
            for (Path p : paths) {
                if (Files.isRegularFile(p) && isVideo(p)) out.add(entry(root, p, Layout.FILES));
            }
            return finish(root, out, layout);
        } catch (IOException e) {
            throw new InvalidInputException(root, "cannot list folder: " + e.getMessage(), e);
        }
    }

    private static List<VideoEntry> finish(Path root, List<VideoEntry> out, Layout layout) {
        if (out.isEmpty()) {
            String looked = switch (layout) {
                case FRAMES -> "folders of numbered frames";
                case STRIPS -> "strip PNGs (width a multiple of height)";
                case FILES -> "video files (mp4, mov, avi, webm, mkv, gif)";
                case AUTO -> "folders of frames, strip PNGs or video files";
            };
            throw new InvalidInputException(root, "no videos found (looked for " + looked + ")");
        }
        out.sort(Comparator.comparing(VideoEntry::id));
        return out;
    }

    private static VideoEntry entry(Path root, Path p, Layout l) {
        String id = root.relativize(p).toString().replace('\\', '/');
        return new VideoEntry(id, p, l);
    }

    private static boolean isVideo(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return MediaReader.isVideoFile(p) || n.endsWith(".gif");
    }

    private static boolean containsFrames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> Files.isRegularFile(f) && MediaReader.isImageFile(f)
                    && !f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gif"));
        }
    }

    /** Train and test lists under the split rule; see {@link DataConfig.SplitConfig}. */
    public static java.util.Map<Subset, List<VideoEntry>> split(List<VideoEntry> all, DataConfig.SplitConfig s, Path root) {
        List<VideoEntry> train = new ArrayList<>();
        List<VideoEntry> test = new ArrayList<>();
        switch (s.rule) {
            case "none" -> {
                train.addAll(all);
                test.addAll(all);
            }
            case "identity" -> {
                Pattern pat = Pattern.compile(s.pattern);
                Set<Integer> held = new HashSet<>(s.testIdentities);
                for (VideoEntry e : all) {
                    (held.contains(identity(e, pat, s.divisor)) ? test : train).add(e);
                }
            }
            case "fraction" -> {
                for (VideoEntry e : all) {
                    // A hash of the id, not a random draw: the split does not depend on what else is in the folder.
                    long h = mix(e.id().hashCode() * 0x9E3779B97F4A7C15L);
                    double u = (h >>> 11) * 0x1.0p-53;
                    (u < s.testFraction ? test : train).add(e);
                }
            }
            case "list" -> {
                boolean listIsTest = s.testList != null;
                Set<String> listed = readList(root, listIsTest ? s.testList : s.trainList);
                for (VideoEntry e : all) {
                    boolean in = listed.contains(e.id());
                    (in == listIsTest ? test : train).add(e);
                }
            }
            default -> throw new InvalidInputException("unknown split rule '" + s.rule + "'");
        }
        return java.util.Map.of(Subset.TRAIN, train, Subset.TEST, test, Subset.ALL, all);
    }

    /** The identity number of a video: the pattern's first group in its file name, divided by {@code divisor}. */
    public static int identity(VideoEntry e, Pattern pattern, int divisor) {
        String name = e.id().substring(e.id().lastIndexOf('/') + 1);
        Matcher m = pattern.matcher(name);
        if (!m.find()) {
            throw new InvalidInputException(e.path(), "no identity number in the name (split pattern '" + pattern + "')");
        }
        return Integer.parseInt(m.group(1)) / divisor;
    }

    private static Set<String> readList(Path root, String listFile) {
        Path p = Path.of(listFile);
        if (!Files.exists(p) && !p.isAbsolute()) p = root.resolve(listFile);
        if (!Files.isRegularFile(p)) throw new InvalidInputException(p, "split list file not found");
        try {
            Set<String> ids = new HashSet<>();
            for (String line : Files.readAllLines(p)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) ids.add(t.replace('\\', '/'));
            }
            return ids;
        } catch (IOException e) {
            throw new InvalidInputException(p, "cannot read split list: " + e.getMessage(), e);
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
