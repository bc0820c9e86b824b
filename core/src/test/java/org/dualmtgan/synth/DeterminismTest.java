package org.dualmtgan.synth;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DeterminismTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"faces", "actors", "sprites", "mnist"})
    void sameSeedGivesIdenticalFilesAndAnotherSeedDoesNot(String domain) throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        SynthDataset.generate(domain, 6, 5, 48, 42, Split.TRAIN, a, SynthTestSupport.dataDir(domain));
        SynthDataset.generate(domain, 6, 5, 48, 42, Split.TRAIN, b, SynthTestSupport.dataDir(domain));
        SynthDataset.generate(domain, 6, 5, 48, 43, Split.TRAIN, c, SynthTestSupport.dataDir(domain));
        Map<String, byte[]> fa = files(a);
        Map<String, byte[]> fb = files(b);
        Map<String, byte[]> fc = files(c);
        assertEquals(6 * 6 + 1, fa.size(), "6 clips x (5 PNG + clip.json) + dataset.json");
        assertEquals(fa.keySet(), fb.keySet());
        for (String k : fa.keySet()) assertArrayEquals(fa.get(k), fb.get(k), k + " differs between two runs");
        long differing = fa.keySet().stream().filter(k -> k.endsWith(".png"))
                .filter(k -> !java.util.Arrays.equals(fa.get(k), fc.get(k))).count();
        assertEquals(30, differing, "every frame should change with the seed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"faces", "actors", "sprites", "mnist"})
    void renderIsAPureFunction(String domain) {
        Domain d = SynthTestSupport.domain(domain);
        SynthClip c = SynthDataset.sample(d, 9, 3, Split.TEST, 8, 64, true);
        float[] v1 = d.render(c.content(), c.motion(), 8, 64).data();
        float[] v2 = d.render(c.content(), c.motion(), 8, 64).data();
        assertArrayEquals(v1, v2);
        assertEquals(c.keypoints(), d.keypoints(c.content(), c.motion(), 8, 64));
        SynthClip other = SynthDataset.sample(d, 10, 3, Split.TEST, 8, 64, false);
        assertNotEquals(c.content(), other.content());
        assertFalse(java.util.Arrays.equals(v1, d.render(other.content(), other.motion(), 8, 64).data()));
    }

    /** Every file under a folder by relative path. */
    static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return out;
    }
}
