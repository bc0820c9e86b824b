package org.dualmtgan.animate;

import org.dualmtgan.media.Video;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.run.TrainConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Manual measurement, not part of the suite (the name does not end in Test): latency of one
 * transfer of a 16-frame 64x64 clip and of generate with 8 samples, with the weizmann-64 config
 * and random weights; median of 5 after 2 warm-up calls. Run with
 * {@code mvn -o -q test -Dtest=AnimatorLatency -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AnimatorLatency {
    @Test
    void measure() {
        System.setProperty("ai.djl.offline", "true");
        ModelConfig cfg = TrainConfig.read(Path.of("configs/weizmann-64.json")).model;
        try (Animator model = Animator.create(cfg, 1)) {
            Video image = noise(1, cfg.size, 1);
            Video clip = noise(cfg.frames, cfg.size, 2);
            double[] transfer = new double[5];
            double[] generate = new double[5];
            for (int i = -2; i < 5; i++) {
                long t0 = System.nanoTime();
                Video out = model.transfer(image, clip);
                long t1 = System.nanoTime();
                assertEquals(cfg.frames, out.frames());
                assertEquals(8, model.generate(image, 8, i).size());
                long t2 = System.nanoTime();
                if (i >= 0) {
                    transfer[i] = (t1 - t0) / 1e6;
                    generate[i] = (t2 - t1) / 1e6;
                }
            }
            System.out.println(report("transfer 1 x " + cfg.frames + " frames " + cfg.size + "px", transfer));
            System.out.println(report("generate 8 x " + cfg.frames + " frames " + cfg.size + "px", generate));
        }
    }

    private static String report(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "LATENCY %s: median %.0f ms (min %.0f, max %.0f, runs %s)", what, s[s.length / 2], s[0],
                s[s.length - 1], Arrays.toString(Arrays.stream(ms).map(Math::rint).toArray()));
    }

    private static Video noise(int frames, int size, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] v = new float[frames * 3 * size * size];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
        return new Video(v, frames, size, size, 25);
    }
}
