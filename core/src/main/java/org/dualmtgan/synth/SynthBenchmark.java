package org.dualmtgan.synth;

import org.dualmtgan.media.Video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Rendering speed per domain: clips of T frames at S x S rendered in memory on all cores
 * (sampling, rendering and keypoints), then the end-to-end rate of writing a dataset with PNGs.
 * Usage: {@code SynthBenchmark [clips] [frames] [size] [dataDir]}.
 */
public final class SynthBenchmark {
    private SynthBenchmark() {}

    public static void main(String[] args) throws Exception {
        int clips = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path data = args.length > 3 ? Path.of(args[3]) : Domains.defaultDataDir();
        System.out.printf("%s, %d cores; %d clips of %dx%dx%d per domain%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), clips, frames, size, size);
        for (String name : Domains.NAMES) {
            Domain d = Domains.byName(name, data);
            inMemory(d, Math.max(50, clips / 4), frames, size); // warm-up
            double rate = inMemory(d, clips, frames, size);
            System.out.printf("%-8s in memory: %8.0f clips/s%n", name, rate);
        }
        for (String name : Domains.NAMES) {
            Path tmp = Files.createTempDirectory("synth-bench");
            try {
                int n = Math.max(50, clips / 4);
                SynthDataset.Summary s = SynthDataset.generate(name, n, frames, size, 1, Split.TRAIN, tmp.resolve("out"), data);
                System.out.printf("%-8s to disk:   %8.0f clips/s (%d clips with PNG and JSON)%n", name, n / s.seconds(), n);
            } finally {
                org.dualmtgan.util.AtomicFiles.deleteRecursively(tmp);
            }
        }
    }

    static double inMemory(Domain d, int clips, int frames, int size) {
        AtomicLong sink = new AtomicLong();
        long t0 = System.nanoTime();
        IntStream.range(0, clips).parallel().forEach(i -> {
            SynthClip c = SynthDataset.sample(d, 7, i, Split.TRAIN, frames, size, true);
            Video v = d.render(c.content(), c.motion(), frames, size);
            List<List<Keypoint>> k = c.keypoints();
            sink.addAndGet(Float.floatToIntBits(v.data()[v.data().length / 2]) + k.size());
        });
        double s = (System.nanoTime() - t0) / 1e9;
        if (sink.get() == 42) System.out.print(""); // keeps the renders observable to the JIT
        return clips / s;
    }
}
