package org.dualmtgan.animate;

import ai.djl.pytorch.jni.JniUtils;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bundled models' outputs and the engine's thread count: the CLI (every core), a Spark task (one
 * thread) and the server give the same bytes on a 2-core machine. Checked on the written 8-bit pixels
 * of a long transfer (the demo's 61-frame jumping jack, the face clip) at 1, 2 and 3 intra-op threads
 * and of seeded samples at 1 and 2, set at run time on the same engine; samples at 3 threads differ
 * on some CPUs (the known-defect test below).
 */
class EngineThreadsTest {
    static final Path DEMO = Path.of("core/src/main/resources/org/dualmtgan/demo");

    static byte[] pixels(List<Video> videos) {
        int n = 0;
        for (Video v : videos) n += v.data().length;
        byte[] out = new byte[n];
        int i = 0;
        for (Video v : videos) for (float f : v.data()) out[i++] = (byte) Math.round(Math.max(0f, Math.min(1f, f)) * 255f);
        return out;
    }

    static List<byte[]> outputs(Animator model, Video image, Video driving, boolean samples) {
        List<byte[]> out = new ArrayList<>();
        out.add(pixels(List.of(model.transfer(image, driving))));
        out.add(pixels(List.of(model.transfer(image, driving, true))));
        if (samples) out.add(pixels(model.generate(image, 2, 11L, 24)));
        return out;
    }

    /**
     * The outputs at 1 engine thread equal those at each of {@code counts}: the transfers always, the
     * samples at counts up to {@code samplesUpTo}. One model load and one 1-thread render.
     */
    void sameBytes(String name, String still, String clip, int samplesUpTo, int... counts) {
        try (Animator model = Animator.load(name)) {
            int before = JniUtils.getNumThreads(); // the engine is loaded with the model
            Video image = MediaReader.readForModel(DEMO.resolve(still), model.size(), 1, null);
            Video driving = MediaReader.readForModel(DEMO.resolve(clip), model.size(), 0, null);
            try {
                JniUtils.setNumThreads(1);
                List<byte[]> one = outputs(model, image, driving, true);
                for (int threads : counts) {
                    JniUtils.setNumThreads(threads);
                    assertEquals(threads, JniUtils.getNumThreads());
                    List<byte[]> other = outputs(model, image, driving, threads <= samplesUpTo);
                    for (int k = 0; k < other.size(); k++) {
                        assertArrayEquals(one.get(k), other.get(k), name + ": output " + k + " at 1 and " + threads + " threads");
                    }
                }
            } finally {
                JniUtils.setNumThreads(before);
            }
        }
    }

    /** Transfers at 1, 2 and 3 threads, samples at 1 and 2 (a Spark task's count and the CLI's on a 2-core machine). */
    void sameBytesAtEveryThreadCount(String name, String still, String clip) {
        sameBytes(name, still, clip, 2, 2, 3);
    }

    @Test
    void weizmannBytesDoNotDependOnTheEngineThreads() {
        sameBytesAtEveryThreadCount("weizmann-64", "weizmann-p6-still.png", "weizmann-p5-jack.png");
    }

    @Test
    void facesBytesDoNotDependOnTheEngineThreads() {
        sameBytesAtEveryThreadCount("faces-64", "faces-still.png", "faces-0.png");
    }

    @Test
    void portraitsBytesDoNotDependOnTheEngineThreads() {
        sameBytesAtEveryThreadCount("portraits-64", "portraits-still.png", "portraits-d3.png");
    }

    /**
     * Open defect: on the Intel Xeon machine (2026-12-07) the seeded samples at 3 engine threads differ
     * from those at 1 by one 8-bit level in a few pixels, for every bundled model (transfers are
     * equal); on the AMD EPYC machine of 2026-12-05 they were equal. docs/spark.md's rule: run the CLI
     * and Spark tasks at the same count when bytes must match.
     */
    @Test
    @org.junit.jupiter.api.Tag("known-defect")
    void samplesAtThreeThreadsEqualThoseAtOne() {
        sameBytes("weizmann-64", "weizmann-p6-still.png", "weizmann-p5-jack.png", 3, 3);
        sameBytes("faces-64", "faces-still.png", "faces-0.png", 3, 3);
        sameBytes("portraits-64", "portraits-still.png", "portraits-d3.png", 3, 3);
    }
}
