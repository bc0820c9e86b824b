package org.dualmtgan.data;

import org.dualmtgan.SharedData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BatchLoaderTest {
    static Path data() {
        return SharedData.root();
    }

    static Dataset weizmannTrain() {
        return Datasets.open(DatasetsTest.weizmann(), Subset.TRAIN);
    }

    @Test
    void batchesAreAFunctionOfSeedAndStep() {
        Dataset ds = weizmannTrain();
        try (BatchLoader threaded = new BatchLoader(ds, new BatchLoader.Options(4, 8, 32, 0, 3, 7, 2, 3));
             BatchLoader inline = new BatchLoader(ds, new BatchLoader.Options(4, 8, 32, 0, 3, 7, 0, 0))) {
            for (long step : new long[] {0, 1, 2, 15, 3}) {
                Batch a = threaded.batch(step);
                Batch b = inline.batch(step);
                assertEquals(a.sourceIds(), b.sourceIds());
                assertEquals(a.targetIds(), b.targetIds());
                for (int i = 0; i < 4; i++) {
                    assertArrayEquals(a.sourceVideos().get(i).data(), b.sourceVideos().get(i).data());
                }
            }
            assertNotEquals(inline.batch(0).sourceIds(), inline.batch(1).sourceIds());
        }
        try (BatchLoader other = new BatchLoader(ds, new BatchLoader.Options(4, 8, 32, 0, 3, 8, 0, 0));
             BatchLoader same = new BatchLoader(ds, new BatchLoader.Options(4, 8, 32, 0, 3, 7, 0, 0))) {
            assertNotEquals(same.batch(0).sourceIds(), other.batch(0).sourceIds(), "another seed, another order");
        }
    }

    @Test
    void everyVideoOncePerEpochAndPairingNeverSelf() {
        Dataset ds = weizmannTrain();
        try (BatchLoader loader = new BatchLoader(ds, BatchLoader.Options.of(8, 4, 16, 3))) {
            Set<String> seen = new HashSet<>();
            for (long step = 0; step < ds.size() / 8; step++) {
                Batch b = loader.batch(step);
                seen.addAll(b.sourceIds());
                for (int i = 0; i < b.size(); i++) {
                    assertNotSame(b.sourceVideos().get(i), b.targetVideos().get(i), "a clip is never its own target");
                    assertTrue(b.sourceIds().contains(b.targetIds().get(i)), "targets come from the same batch");
                }
            }
            assertEquals(ds.size(), seen.size(), "48 training videos, 6 batches of 8: each once");
        }
    }

    @Test
    void batchArraysHaveTheNetworkLayoutAndRange() {
        Dataset ds = weizmannTrain();
        try (BatchLoader loader = new BatchLoader(ds, BatchLoader.Options.of(3, 8, 32, 1));
             NDManager m = NDManager.newBaseManager()) {
            Batch b = loader.batch(5);
            NDArray src = b.source(m);
            NDArray tgt = b.targetClip(m);
            assertEquals(new Shape(3, 8, 3, 32, 32), src.getShape());
            assertEquals(src.getShape(), tgt.getShape());
            assertTrue(src.min().getFloat() >= -1f && src.max().getFloat() <= 1f);
            assertTrue(src.max().getFloat() - src.min().getFloat() > 1f, "real pixels span the range");
            float expect = b.sourceVideos().get(1).data()[123] * 2f - 1f;
            assertEquals(expect, src.get(1).flatten().getFloat(123), 1e-6);
        }
    }

    @Test
    void framesDecodedOnDemandEqualCachedVideos() {
        DataConfig lazy = new DataConfig(data().resolve("bair").toString());
        lazy.every = 2;
        lazy.cacheMiB = 0;
        DataConfig cached = new DataConfig(data().resolve("bair").toString());
        cached.every = 2;
        Dataset lazyDs = Datasets.open(lazy, Subset.ALL);
        Dataset cachedDs = Datasets.open(cached, Subset.ALL);
        assertFalse(lazyDs.fitsCache(32), "no budget: clips decode only the frames they take");
        assertTrue(cachedDs.fitsCache(32));
        try (BatchLoader a = new BatchLoader(lazyDs, new BatchLoader.Options(2, 6, 32, 0, 2, 5, 0, 0));
             BatchLoader b = new BatchLoader(cachedDs, new BatchLoader.Options(2, 6, 32, 0, 2, 5, 0, 0))) {
            for (long step = 0; step < 4; step++) {
                Batch x = a.batch(step);
                Batch y = b.batch(step);
                for (int i = 0; i < 2; i++) {
                    assertArrayEquals(x.sourceVideos().get(i).data(), y.sourceVideos().get(i).data(), 1e-6f);
                }
            }
        }
    }

    @Test
    void batchOfOneTakesItsTargetFromAnotherVideo() {
        Dataset ds = weizmannTrain();
        try (BatchLoader loader = new BatchLoader(ds, BatchLoader.Options.of(1, 8, 16, 1))) {
            for (long s = 0; s < 5; s++) {
                Batch b = loader.batch(s);
                assertNotEquals(b.sourceIds().get(0), b.targetIds().get(0));
            }
        }
    }

    @Test
    void clipSamplerFitsStrideAndHoldsLastFrame() {
        float[] d = new float[5 * 3 * 2 * 2];
        for (int t = 0; t < 5; t++) for (int i = 0; i < 12; i++) d[t * 12 + i] = t / 10f;
        Video v = new Video(d, 5, 2, 2, 25);
        Video clip = new ClipSampler(3, 2, 1).sample(v, new SplittableRandom(1));
        assertEquals(3, clip.frames());
        assertEquals(0f, clip.data()[0], 0f);
        assertEquals(0.4f, clip.data()[2 * 12], 1e-6, "stride 2 from frame 0: frames 0, 2, 4");
        Video shrunk = new ClipSampler(4, 3, 1).sample(v, new SplittableRandom(1));
        assertEquals(4, shrunk.frames(), "stride 3 does not fit 4 frames in 5: falls back to 1");
        Video padded = new ClipSampler(8, 1, 1).sample(v, new SplittableRandom(1));
        assertEquals(8, padded.frames());
        assertEquals(0.4f, padded.data()[7 * 12], 1e-6, "frames past the end hold the last frame");
    }

    @Test
    void derangementHasNoFixedPoint() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n = 2; n < 12; n++) {
            int[] p = BatchLoader.derangement(n, r);
            boolean[] hit = new boolean[n];
            for (int i = 0; i < n; i++) {
                assertNotEquals(i, p[i]);
                hit[p[i]] = true;
            }
            for (boolean h : hit) assertTrue(h, "a permutation");
        }
    }
}
