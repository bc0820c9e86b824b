package org.dualmtgan.data;

import org.dualmtgan.SharedData;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    static Path data() {
        return SharedData.root();
    }

    @Test
    void scansStripsOfWeizmann() {
        List<VideoEntry> all = Datasets.scan(data().resolve("weizmann"), Layout.AUTO);
        assertEquals(56, all.size());
        assertTrue(all.stream().allMatch(e -> e.layout() == Layout.STRIPS));
        assertEquals("class0_00000002.png", all.get(0).id());
    }

    @Test
    void scansFrameFoldersOfBairAndKth() {
        List<VideoEntry> bair = Datasets.scan(data().resolve("bair"), Layout.AUTO);
        assertEquals(4, bair.size());
        assertTrue(bair.stream().allMatch(e -> e.layout() == Layout.FRAMES));
        assertEquals(3, Datasets.scan(data().resolve("kth"), Layout.FRAMES).size());
    }

    @Test
    void scansVideoFilesRecursively(@TempDir Path tmp) throws IOException {
        List<VideoEntry> faces = Datasets.scan(data().resolve("faces"), Layout.AUTO);
        assertEquals(8, faces.size(), "the eight mp4 clips, not the jpg stills");
        assertTrue(faces.stream().allMatch(e -> e.layout() == Layout.FILES && e.id().endsWith(".mp4")));
        Path nested = tmp.resolve("a/b");
        Files.createDirectories(nested);
        Files.copy(data().resolve("faces/d18.mp4"), nested.resolve("clip.mp4"));
        Files.copy(data().resolve("pedestrians/vtest_384x288_first200_mjpeg.avi"), tmp.resolve("a/street.avi"));
        List<VideoEntry> found = Datasets.scan(tmp, Layout.FILES);
        assertEquals(List.of("a/b/clip.mp4", "a/street.avi"), found.stream().map(VideoEntry::id).toList());
    }

    @Test
    void weizmannIdentitySplitHoldsOutWholePersons() {
        DataConfig cfg = weizmann();
        Map<Subset, List<VideoEntry>> s = Datasets.split(Datasets.scan(data().resolve("weizmann"), Layout.AUTO), cfg.split, data());
        assertEquals(8, s.get(Subset.TEST).size(), "person 6: 4 classes x (original + mirrored)");
        assertEquals(48, s.get(Subset.TRAIN).size());
        Pattern p = Pattern.compile(cfg.split.pattern);
        for (VideoEntry e : s.get(Subset.TEST)) assertEquals(6, Datasets.identity(e, p, 8));
        for (VideoEntry e : s.get(Subset.TRAIN)) assertTrue(Datasets.identity(e, p, 8) < 6);
        assertEquals(6, Datasets.identity(new VideoEntry("class0_00000051.png", Path.of("x"), Layout.STRIPS), p, 8));
        assertEquals(0, Datasets.identity(new VideoEntry("class1_00000007.png", Path.of("x"), Layout.STRIPS), p, 8));
    }

    @Test
    void listSplitByFile(@TempDir Path tmp) throws IOException {
        Path list = tmp.resolve("test.txt");
        Files.writeString(list, "# held out\nbair_00033\n\nbair_00108\n");
        DataConfig cfg = new DataConfig(data().resolve("bair").toString());
        cfg.split.rule = "list";
        cfg.split.testList = list.toString();
        Dataset test = Datasets.open(cfg, Subset.TEST);
        Dataset train = Datasets.open(cfg, Subset.TRAIN);
        assertEquals(List.of("bair_00033", "bair_00108"), test.entries().stream().map(VideoEntry::id).toList());
        assertEquals(List.of("bair_00026", "bair_00056"), train.entries().stream().map(VideoEntry::id).toList());
    }

    @Test
    void fractionSplitIsAFunctionOfTheIdAlone() {
        DataConfig.SplitConfig s = new DataConfig.SplitConfig();
        s.rule = "fraction";
        s.testFraction = 0.25;
        List<VideoEntry> all = Datasets.scan(data().resolve("weizmann"), Layout.AUTO);
        List<VideoEntry> t1 = Datasets.split(all, s, data()).get(Subset.TEST);
        List<VideoEntry> t2 = Datasets.split(all.subList(0, 30), s, data()).get(Subset.TEST);
        assertTrue(t1.size() > 3 && t1.size() < 25, "about a quarter: " + t1.size());
        assertTrue(t1.containsAll(t2), "removing other videos does not move a video between subsets");
    }

    @Test
    void decodesAndResizesEachLayout() {
        Dataset w = Datasets.open(new DataConfig(data().resolve("weizmann").toString()), Subset.ALL);
        Video v = w.video(0, 32);
        assertEquals(61, v.frames(), "class0_00000002.png is a strip of 61 frames");
        assertEquals(32, v.height());
        assertEquals(32, v.width());
        assertSame(v, w.video(0, 32), "decoded once, then cached");
        Dataset k = Datasets.open(new DataConfig(data().resolve("kth").toString()), Subset.ALL);
        assertEquals(40, k.video(0, 64).frames());
        DataConfig every = new DataConfig(data().resolve("bair").toString());
        every.every = 3;
        assertEquals(10, Datasets.open(every, Subset.ALL).video(0, 64).frames());
        for (float f : k.video(1, 64).data()) assertTrue(f >= 0f && f <= 1f);
    }

    @Test
    void fingerprintIsStableAndSeesChanges(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("bair");
        try (Stream<Path> s = Files.walk(data().resolve("bair"))) {
            for (Path p : s.toList()) {
                Path q = copy.resolve(data().resolve("bair").relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
        String original = Datasets.open(new DataConfig(data().resolve("bair").toString()), Subset.ALL).fingerprint();
        String copied = Datasets.open(new DataConfig(copy.toString()), Subset.ALL).fingerprint();
        assertEquals(original, copied, "a copy elsewhere has the same fingerprint");
        Files.copy(copy.resolve("bair_00026/01.png"), copy.resolve("bair_00026/00.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertNotEquals(original, Datasets.open(new DataConfig(copy.toString()), Subset.ALL).fingerprint());
    }

    @Test
    void badFoldersGetClearErrors(@TempDir Path tmp) throws IOException {
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> Datasets.scan(tmp.resolve("nope"), Layout.AUTO));
        assertTrue(missing.getMessage().contains("nope") && missing.getMessage().contains("no such"));
        Files.writeString(tmp.resolve("notes.txt"), "not a video");
        InvalidInputException empty = assertThrows(InvalidInputException.class, () -> Datasets.scan(tmp, Layout.AUTO));
        assertTrue(empty.getMessage().contains("no videos found"), empty.getMessage());
        DataConfig cfg = weizmann();
        cfg.split.testIdentities = List.of(42);
        InvalidInputException noTest = assertThrows(InvalidInputException.class, () -> Datasets.open(cfg, Subset.TEST));
        assertTrue(noTest.getMessage().contains("test subset is empty"), noTest.getMessage());
        DataConfig bad = new DataConfig(data().toString());
        bad.layout = "tarball";
        assertThrows(InvalidInputException.class, () -> Datasets.open(bad, Subset.ALL));
    }

    static DataConfig weizmann() {
        DataConfig cfg = new DataConfig(data().resolve("weizmann").toString());
        cfg.split.rule = "identity";
        cfg.split.pattern = "_(\\d+)\\.png$";
        cfg.split.divisor = 8;
        cfg.split.testIdentities = List.of(6);
        return cfg;
    }
}
