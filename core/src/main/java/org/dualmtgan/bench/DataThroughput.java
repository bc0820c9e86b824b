package org.dualmtgan.bench;

import org.dualmtgan.data.Batch;
import org.dualmtgan.data.BatchLoader;
import org.dualmtgan.data.DataConfig;
import org.dualmtgan.data.Dataset;
import org.dualmtgan.data.Datasets;
import org.dualmtgan.data.Subset;

/**
 * Clips per second delivered by the batch loader: cold (every video decoded again for every clip,
 * cache off) and warm (decoded videos cached, the state of every epoch after the first).
 */
public final class DataThroughput {
    private DataThroughput() {}

    /** Result of one measurement. */
    public record Result(String dataset, boolean cached, int clips, double seconds) {
        public double clipsPerSecond() {
            return clips / seconds;
        }
    }

    public static Result measure(DataConfig cfg, int batch, int frames, int size, int threads, int steps, boolean cached) {
        DataConfig c = copy(cfg);
        c.cacheMiB = cached ? cfg.cacheMiB : 0;
        Dataset ds = Datasets.open(c, Subset.ALL);
        try (BatchLoader loader = new BatchLoader(ds, new BatchLoader.Options(batch, frames, size, c.stride,
                c.maxStride, 1, threads, Math.max(2, threads * 2)))) {
            if (cached) {
                for (int i = 0; i < ds.size(); i++) ds.video(i, size); // fill the cache: measure the steady state
            }
            for (int s = 0; s < 10; s++) loader.batch(s); // JIT warm-up on batches not timed
            long t0 = System.nanoTime();
            int clips = 0;
            for (int s = 10; s < 10 + steps; s++) {
                Batch b = loader.batch(s);
                clips += b.size();
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            return new Result(ds.name(), cached, clips, sec);
        }
    }

    private static DataConfig copy(DataConfig cfg) {
        DataConfig c = new DataConfig(cfg.path);
        c.layout = cfg.layout;
        c.every = cfg.every;
        c.stride = cfg.stride;
        c.maxStride = cfg.maxStride;
        c.split = cfg.split;
        c.cacheMiB = cfg.cacheMiB;
        return c;
    }

    public static void main(String[] args) {
        String path = args.length > 0 ? args[0] : "../shared/data/bair";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        DataConfig cfg = new DataConfig(path);
        for (boolean cached : new boolean[] {false, true}) {
            Result r = measure(cfg, 16, 16, 64, threads, cached ? 200 : 100, cached);
            System.out.printf("%s cached=%s threads=%d: %d clips in %.2f s = %.0f clips/s%n",
                    r.dataset(), r.cached(), threads, r.clips(), r.seconds(), r.clipsPerSecond());
        }
    }
}
