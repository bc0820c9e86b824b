package org.dualmtgan.eval;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** The LPIPS network code and weight reader, with random weights: shapes and sanity only, not LPIPS values. */
class LpipsTest {
    static Video noise(long seed, int frames) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[frames * 3 * 64 * 64];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble();
        return new Video(d, frames, 64, 64, 25);
    }

    @Test
    void zeroForIdenticalSymmetricAndPositiveOtherwise() {
        try (Lpips l = Lpips.random(3)) {
            Video a = MetricsTest.pattern(2, 64, 64, false);
            Video b = MetricsTest.pattern(2, 64, 64, true);
            assertEquals(0, l.distance(a, a), 1e-6);
            double ab = l.distance(a, b);
            assertTrue(ab > 0, "different frames are apart: " + ab);
            assertEquals(ab, l.distance(b, a), 1e-6);
            // A small change is closer than noise.
            assertTrue(ab < l.distance(a, noise(1, 2)), "a distorted pattern is nearer than noise");
        }
    }

    @Test
    void meanPairwiseIsTheMeanOfThePairsDistances() {
        try (Lpips l = Lpips.random(3)) {
            List<Video> samples = List.of(MetricsTest.pattern(2, 64, 64, false), MetricsTest.pattern(2, 64, 64, true),
                    noise(1, 2), noise(2, 2));
            List<int[]> pairs = List.of(new int[] {0, 1}, new int[] {0, 2}, new int[] {1, 3}, new int[] {2, 3});
            double expected = 0;
            for (int[] p : pairs) expected += l.distance(samples.get(p[0]), samples.get(p[1]));
            expected /= pairs.size();
            assertEquals(expected, l.meanPairwise(samples, pairs), 1e-6);
            assertEquals(0, l.meanPairwise(samples, List.of()));
        }
    }

    /** Writes {@code Lpips.random(seed)}'s arrays as an .npz the way numpy.savez does (stored .npy members, v1 headers). */
    static void writeNpz(Path file, long seed, boolean dropHead) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (int i = 0; i < 5; i++) {
                int[] s = Lpips.SHAPES[i];
                int fanIn = s[1] * s[2] * s[2];
                float[] w = new float[s[0] * fanIn];
                for (int j = 0; j < w.length; j++) w[j] = (float) (r.nextGaussian() * Math.sqrt(2.0 / fanIn));
                float[] h = new float[s[0]];
                for (int j = 0; j < h.length; j++) h[j] = (float) r.nextDouble() / s[0];
                npy(zip, Lpips.CONVS[i] + ".weight", w, s[0] + ", " + s[1] + ", " + s[2] + ", " + s[2]);
                npy(zip, Lpips.CONVS[i] + ".bias", new float[s[0]], s[0] + ",");
                if (!(dropHead && i == 4)) npy(zip, "lin" + i + ".model.1.weight", h, "1, " + s[0] + ", 1, 1");
            }
        }
    }

    static void npy(ZipOutputStream zip, String name, float[] values, String shape) throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : values) b.putFloat(v);
        zip.write(b.array());
        zip.closeEntry();
    }

    @Test
    void readsNpzWeightsAndNamesWhatIsMissing(@TempDir Path tmp) throws IOException {
        Path good = tmp.resolve("lpips.npz");
        writeNpz(good, 3, false);
        Video a = MetricsTest.pattern(1, 64, 64, false);
        Video b = MetricsTest.pattern(1, 64, 64, true);
        try (Lpips fromFile = Lpips.load(good); Lpips same = Lpips.random(3)) {
            assertEquals(same.distance(a, b), fromFile.distance(a, b), 1e-6, "the file holds the same weights");
        }
        Path bad = tmp.resolve("bad.npz");
        writeNpz(bad, 3, true);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Lpips.load(bad));
        assertTrue(e.getMessage().contains("lin4.model.1.weight"), e.getMessage());
        Path notZip = tmp.resolve("x.npz");
        Files.writeString(notZip, "hello");
        assertThrows(InvalidInputException.class, () -> Lpips.load(notZip));
    }
}
