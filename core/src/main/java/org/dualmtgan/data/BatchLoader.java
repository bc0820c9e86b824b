package org.dualmtgan.data;

import org.dualmtgan.media.Video;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Training batches as a pure function of (seed, step), prepared ahead on background threads.
 *
 * <p>Order: the sample with global index {@code g = step * B + i} is video {@code perm_e[g mod N]} of
 * epoch {@code e = g / N}, where {@code perm_e} is a shuffle seeded by (seed, e): every video once
 * per epoch. The clip's start and stride come from a generator seeded by (seed, g), and the pairing
 * of the batch (which other clip gives each source its target image) from one seeded by (seed,
 * step). So a resumed run sees exactly the batches it would have seen, with no loader state to save.
 *
 * <p>The pairing is a derangement: no clip is paired with itself. With a batch of one, the target
 * comes from the next video of the epoch order (when the dataset has more than one).
 */
public final class BatchLoader implements AutoCloseable {
    /**
     * Loader settings; {@code stride = 0} draws a stride in [1, maxStride] per clip; {@code augment}
     * (null: none) transforms each clip, seeded by the clip's global index like its start and stride.
     */
    public record Options(int batch, int frames, int size, int stride, int maxStride, long seed, int threads, int prefetch,
                          Augment.Settings augment) {
        public Options {
            if (batch < 1) throw new IllegalArgumentException("batch must be >= 1");
            if (frames < 1) throw new IllegalArgumentException("frames must be >= 1");
            if (size < 1) throw new IllegalArgumentException("size must be >= 1");
        }

        public Options(int batch, int frames, int size, int stride, int maxStride, long seed, int threads, int prefetch) {
            this(batch, frames, size, stride, maxStride, seed, threads, prefetch, null);
        }

        /** These options with {@code a} as the clips' augmentation (null: none). */
        public Options withAugment(Augment.Settings a) {
            return new Options(batch, frames, size, stride, maxStride, seed, threads, prefetch, a);
        }

        public static Options of(int batch, int frames, int size, long seed) {
            return new Options(batch, frames, size, 1, 1, seed, 2, 4);
        }
    }

    private static final long SALT_EPOCH = 0x5EEDL;
    private static final long SALT_CLIP = 0xC11FL;
    private static final long SALT_PAIR = 0xBA1FL;
    private static final long SALT_AUGMENT = 0xA06EL;

    private final Dataset dataset;
    private final Options opts;
    private final ClipSampler sampler;
    private final ExecutorService pool;
    private final Map<Long, Future<Batch>> ahead = new ConcurrentHashMap<>();
    private final Map<Long, int[]> perms = new ConcurrentHashMap<>();

    public BatchLoader(Dataset dataset, Options opts) {
        this.dataset = dataset;
        this.opts = opts;
        this.sampler = new ClipSampler(opts.frames(), opts.stride(), opts.maxStride());
        AtomicInteger n = new AtomicInteger();
        this.pool = opts.threads() > 0 ? Executors.newFixedThreadPool(opts.threads(), r -> {
            Thread t = new Thread(r, "batch-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public Dataset dataset() {
        return dataset;
    }

    public Options options() {
        return opts;
    }

    /** The batch of {@code step}; schedules the next {@code prefetch} steps in the background. */
    public Batch batch(long step) {
        if (pool == null) return build(step);
        for (long s = step; s <= step + opts.prefetch(); s++) {
            final long k = s;
            ahead.computeIfAbsent(k, key -> pool.submit(() -> build(key)));
        }
        ahead.keySet().removeIf(k -> k < step);
        Future<Batch> f = ahead.remove(step);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading batch " + step, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException("loading batch " + step + " failed", c);
        }
    }

    /** Builds the batch of {@code step} on the calling thread (the deterministic definition). */
    public Batch build(long step) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        int b = opts.batch();
        List<Video> src = new ArrayList<>(b);
        List<String> srcIds = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            long g = step * b + i;
            int idx = videoAt(g);
            src.add(clip(idx, g));
            srcIds.add(dataset.entry(idx).id());
        }
        List<Video> tgt = new ArrayList<>(b);
        List<String> tgtIds = new ArrayList<>(b);
        if (b >= 2) {
            int[] pair = derangement(b, new SplittableRandom(Datasets.mix(opts.seed() ^ SALT_PAIR) ^ step));
            for (int i = 0; i < b; i++) {
                tgt.add(src.get(pair[i]));
                tgtIds.add(srcIds.get(pair[i]));
            }
        } else {
            long g = step * b;
            int idx = videoAt(g);
            int other = dataset.size() > 1 ? (idx + 1 + (int) Math.floorMod(Datasets.mix(g ^ opts.seed()), dataset.size() - 1)) % dataset.size() : idx;
            tgt.add(clip(other, -1 - g));
            tgtIds.add(dataset.entry(other).id());
        }
        return new Batch(step, src, tgt, srcIds, tgtIds);
    }

    private Video clip(int idx, long g) {
        SplittableRandom rng = new SplittableRandom(Datasets.mix(opts.seed() ^ SALT_CLIP) ^ Datasets.mix(g));
        Video v = dataset.clip(idx, opts.size(), sampler, rng);
        if (opts.augment() == null) return v;
        // Its own generator: turning augmentation on leaves every clip's frames and the pairing as they were.
        return Augment.apply(v, opts.augment(), new SplittableRandom(Datasets.mix(opts.seed() ^ SALT_AUGMENT) ^ Datasets.mix(g)));
    }

    private int videoAt(long g) {
        int n = dataset.size();
        long epoch = g / n;
        int[] perm = perms.get(epoch);
        if (perm == null) {
            perm = shuffle(n, new SplittableRandom(Datasets.mix(opts.seed() ^ SALT_EPOCH) ^ Datasets.mix(epoch)));
            perms.putIfAbsent(epoch, perm);
            // Loader threads run a few steps apart: keep only the epochs around the current one.
            if (perms.size() > 4) perms.keySet().removeIf(k -> k < epoch - 1);
        }
        return perm[(int) (g % n)];
    }

    static int[] shuffle(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A random permutation without fixed points: a shuffled cycle shifted by 1..n-1. */
    static int[] derangement(int n, SplittableRandom rng) {
        int[] order = shuffle(n, rng);
        int shift = 1 + rng.nextInt(n - 1);
        int[] pair = new int[n];
        for (int k = 0; k < n; k++) pair[order[k]] = order[(k + shift) % n];
        return pair;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
        ahead.clear();
    }
}
