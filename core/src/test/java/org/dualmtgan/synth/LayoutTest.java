package org.dualmtgan.synth;

import com.fasterxml.jackson.databind.JsonNode;
import org.dualmtgan.media.Frames;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutTest {
    @TempDir
    Path tmp;

    @Test
    void datasetFolderHoldsFramesRecordsAndIndex() throws IOException {
        Path out = tmp.resolve("ds");
        SynthDataset.Summary s = SynthDataset.generate("actors", 3, 12, 40, 7, Split.TEST, out, SynthTestSupport.dataDir());
        assertEquals(3, s.clips());
        JsonNode info = SynthClip.JSON.readTree(out.resolve(SynthDataset.DATASET_FILE).toFile());
        assertEquals("actors", info.get("domain").asText());
        assertEquals(3, info.get("count").asInt());
        assertEquals(7, info.get("seed").asLong());
        assertEquals("test", info.get("split").asText());
        assertEquals(SynthDataset.FORMAT_VERSION, info.get("version").asInt());
        assertEquals(3, info.get("clips").size());
        Domain d = new ActorsDomain();
        for (int i = 0; i < 3; i++) {
            String id = info.get("clips").get(i).asText();
            assertEquals("actors_0000" + i, id);
            Path clipDir = out.resolve(id);
            for (int t = 0; t < 12; t++) assertTrue(Files.isRegularFile(clipDir.resolve(String.format("%02d.png", t))));
            assertEquals(13, Files.list(clipDir).count(), "12 frames and clip.json");
            SynthClip clip = SynthClip.read(clipDir);
            SynthClip expected = SynthDataset.sample(d, 7, i, Split.TEST, 12, 40, true);
            assertEquals(expected, clip, "clip.json reads back as the sampled clip");
            assertEquals(12, clip.keypoints().size());
            assertEquals(ActorsDomain.KEYPOINTS.size(), clip.keypoints().get(0).size());
            // frames on disk are the render, rounded to 8 bits
            Video v = clip.render();
            for (int t = 0; t < 12; t += 5) {
                BufferedImage png = ImageIO.read(clipDir.resolve(String.format("%02d.png", t)).toFile());
                BufferedImage ref = Frames.toImage(v, t);
                assertArrayEquals(ref.getRGB(0, 0, 40, 40, null, 0, 40), png.getRGB(0, 0, 40, 40, null, 0, 40));
            }
        }
        try (var s2 = Files.list(tmp)) {
            assertEquals(List.of(out), s2.toList(), "no temporary folders left beside the output");
        }
    }

    @Test
    void everyDomainsRecordRoundTripsThroughJson() {
        for (String name : Domains.NAMES) {
            Domain d = SynthTestSupport.domain(name);
            SynthClip c = SynthDataset.sample(d, 3, 1, Split.TRAIN, 6, 32, true);
            SynthClip back = readJson(c.toJson());
            assertEquals(c, back, name);
            // evaluation renders a read-back content with a read-back motion: same pixels
            assertArrayEquals(d.render(c.content(), c.motion(), 6, 32).data(), back.render().data(), name);
        }
    }

    @Test
    void longClipsGetWiderFrameNames() throws IOException {
        Path out = tmp.resolve("long");
        SynthDataset.generate("mnist", 1, 101, 16, 1, Split.TRAIN, out, SynthTestSupport.dataDir("mnist"));
        Path clip = out.resolve("mnist_00000");
        assertTrue(Files.isRegularFile(clip.resolve("000.png")));
        assertTrue(Files.isRegularFile(clip.resolve("100.png")));
    }

    private static SynthClip readJson(String json) {
        try {
            return SynthClip.JSON.readValue(json, SynthClip.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
