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
 * The bundled models' outputs do not depend on the engine's thread count: the CLI (every core), a
 * Spark task (one thread) and the server give the same bytes. Checked on the written 8-bit pixels
 * of a long transfer (the demo's 61-frame jumping jack, the face clip) and of seeded samples, at 1, 2
 * and 3 intra-op threads set at run time on the same engine.
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

    static List<byte[]> outputs(Animator model, Video image, Video driving) {
        List<byte[]> out = new ArrayList<>();
        out.add(pixels(List.of(model.transfer(image, driving))));
        out.add(pixels(List.of(model.transfer(image, driving, true))));
        out.add(pixels(model.generate(image, 2, 11L, 24)));
        return out;
    }

    void sameBytesAtEveryThreadCount(String name, String still, String clip) {
        try (Animator model = Animator.load(name)) {
            int before = JniUtils.getNumThreads(); // the engine is loaded with the model
            Video image = MediaReader.readForModel(DEMO.resolve(still), model.size(), 1, null);
            Video driving = MediaReader.readForModel(DEMO.resolve(clip), model.size(), 0, null);
            try {
                JniUtils.setNumThreads(1);
                List<byte[]> one = outputs(model, image, driving);
                for (int threads : new int[] {2, 3}) {
                    JniUtils.setNumThreads(threads);
                    assertEquals(threads, JniUtils.getNumThreads());
                    List<byte[]> other = outputs(model, image, driving);
                    for (int k = 0; k < one.size(); k++) {
                        assertArrayEquals(one.get(k), other.get(k), name + ": output " + k + " at 1 and " + threads + " threads");
                    }
                }
            } finally {
                JniUtils.setNumThreads(before);
            }
        }
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
}
