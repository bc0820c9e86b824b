package org.dualmtgan.data;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Preprocess;
import org.dualmtgan.media.Video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An ordered list of videos on disk with decoding, preprocessing and a memory cache.
 *
 * <p>Preprocessing policy (the media package's): centre crop to a square, area-averaging resize to
 * {@code size x size}, then every {@code every}-th frame. Decoded videos stay in memory within a byte
 * budget (least recently used out first), so the second epoch onwards costs no decoding. Safe for
 * concurrent use by the loader's threads.
 */
public final class Dataset {
    private final String name;
    private final Path root;
    private final List<VideoEntry> entries;
    private final int every;
    private final long cacheBytes;
    private final Map<String, Video> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Object[] locks;
    private long cachedBytes;
    private final Map<Integer, Boolean> fits = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, List<Path>> frameLists = new java.util.concurrent.ConcurrentHashMap<>();
    private String fingerprint;

    public Dataset(String name, Path root, List<VideoEntry> entries, int every, long cacheBytes) {
        if (entries.isEmpty()) throw new InvalidInputException(root, "no videos in this dataset subset");
        this.name = name;
        this.root = root;
        this.entries = List.copyOf(entries);
        this.every = Math.max(1, every);
        this.cacheBytes = cacheBytes;
        this.locks = new Object[entries.size()];
        for (int i = 0; i < locks.length; i++) locks[i] = new Object();
    }

    public String name() {
        return name;
    }

    public Path root() {
        return root;
    }

    public int size() {
        return entries.size();
    }

    public VideoEntry entry(int i) {
        return entries.get(i);
    }

    public List<VideoEntry> entries() {
        return entries;
    }

    /** Video {@code i}, decoded and preprocessed to {@code size x size} (cached). */
    public Video video(int i, int size) {
        String key = i + "@" + size;
        synchronized (cache) {
            Video v = cache.get(key);
            if (v != null) return v;
        }
        // One decode per video even when several loader threads ask for it at once.
        synchronized (locks[i]) {
            synchronized (cache) {
                Video v = cache.get(key);
                if (v != null) return v;
            }
            Video v = decode(entries.get(i), size);
            long bytes = 4L * v.data().length;
            synchronized (cache) {
                cache.put(key, v);
                cachedBytes += bytes;
                var it = cache.entrySet().iterator();
                while (cachedBytes > cacheBytes && it.hasNext()) {
                    var e = it.next();
                    if (e.getKey().equals(key)) continue;
                    cachedBytes -= 4L * e.getValue().data().length;
                    it.remove();
                }
            }
            return v;
        }
    }

    /**
     * A training clip of video {@code i}: the frames {@code sampler} plans for it. Videos are decoded
     * whole and cached when the dataset fits the cache budget; otherwise (a large frame-folder
     * dataset such as full BAIR) only the planned frames are decoded, every time.
     */
    public Video clip(int i, int size, ClipSampler sampler, java.util.SplittableRandom rng) {
        VideoEntry e = entries.get(i);
        if (e.layout() == Layout.FRAMES && !fitsCache(size)) {
            List<Path> files = frameFiles(i);
            int n = (files.size() + every - 1) / every;
            ClipSampler.Plan p = sampler.plan(n, rng);
            Preprocess pre = Preprocess.forModel(size);
            List<Video> frames = new ArrayList<>(p.count());
            for (int k = 0; k < p.count(); k++) {
                frames.add(MediaReader.readVideo(files.get(p.index(k) * every), MediaReader.Layout.IMAGE, pre));
            }
            return sampler.pad(Video.concat(frames));
        }
        Video v = video(i, size);
        return sampler.take(v, sampler.plan(v.frames(), rng));
    }

    /** Whether every video of the dataset, decoded at {@code size}, fits the cache budget (estimated from file listings). */
    public boolean fitsCache(int size) {
        Boolean f = fits.get(size);
        if (f != null) return f;
        long frames = 0;
        for (int i = 0; i < entries.size(); i++) {
            VideoEntry e = entries.get(i);
            if (e.layout() != Layout.FRAMES) return cacheFits(size, true);
            frames += (frameFiles(i).size() + every - 1) / every;
        }
        return cacheFits(size, frames * 4L * Video.CHANNELS * size * size <= cacheBytes);
    }

    private boolean cacheFits(int size, boolean value) {
        fits.put(size, value);
        return value;
    }

    private List<Path> frameFiles(int i) {
        return frameLists.computeIfAbsent(i, k -> MediaReader.frameFiles(entries.get(k).path()));
    }

    private Video decode(VideoEntry e, int size) {
        MediaReader.Layout layout = switch (e.layout()) {
            case FRAMES -> MediaReader.Layout.FRAMES;
            case STRIPS -> MediaReader.Layout.STRIP;
            default -> MediaReader.Layout.FILE;
        };
        // Cropped, resized and subsampled while decoding: a long 480 px video never exists at full size.
        Video v = MediaReader.readVideo(e.path(), layout, Preprocess.builder().size(size).every(every).build());
        if (v.frames() == 0) throw new InvalidInputException(e.path(), "video has no frames");
        return v;
    }

    /**
     * A fingerprint of the data: SHA-256 over each video's id, and each file's relative name, size and
     * first MiB of content, in id order. Stable across machines and copies (no timestamps); any
     * change of a frame of a small-frame dataset changes it.
     */
    public synchronized String fingerprint() {
        if (fingerprint != null) return fingerprint;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (VideoEntry e : entries) {
                sha.update(e.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                List<Path> files = new ArrayList<>();
                if (Files.isDirectory(e.path())) {
                    try (Stream<Path> s = Files.list(e.path())) {
                        s.filter(Files::isRegularFile).sorted().forEach(files::add);
                    }
                } else {
                    files.add(e.path());
                }
                for (Path f : files) {
                    sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update(Long.toString(Files.size(f)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    try (InputStream in = Files.newInputStream(f)) {
                        long left = 1 << 20;
                        int n;
                        while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                            sha.update(buf, 0, n);
                            left -= n;
                        }
                    }
                }
            }
            fingerprint = "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16) + ":" + entries.size() + "videos";
            return fingerprint;
        } catch (IOException ex) {
            throw new InvalidInputException(root, "cannot read dataset files for fingerprint: " + ex.getMessage(), ex);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + entries.size() + " videos at " + root + "]";
    }
}
