package org.dualmtgan.synth;

import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadInputTest {
    @TempDir
    Path tmp;

    private InvalidInputException fails(String domain, int videos, int frames, int size, Path data) {
        Path out = tmp.resolve("out");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SynthDataset.generate(domain, videos, frames, size, 1, Split.TRAIN, out, data));
        assertFalse(Files.exists(out), "output left behind");
        return e;
    }

    @Test
    void unknownDomainListsTheValidOnes() {
        InvalidInputException e = fails("robots", 1, 4, 32, SynthTestSupport.dataDir());
        assertTrue(e.getMessage().contains("robots") && e.getMessage().contains("faces, actors, sprites, mnist"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Domains.byName(null));
    }

    @Test
    void badCountsAndSizes() {
        assertTrue(fails("faces", 1, 1, 32, null).getMessage().contains("--frames"));
        assertTrue(fails("faces", 0, 4, 32, null).getMessage().contains("--videos"));
        assertTrue(fails("faces", 1, 4, 15, null).getMessage().contains("--size"));
        assertTrue(fails("faces", 1, 4, 257, null).getMessage().contains("--size"));
        assertThrows(InvalidInputException.class, () -> Split.parse("validation"));
    }

    @Test
    void missingOrBrokenMnistData() throws IOException {
        Path none = tmp.resolve("nodata");
        InvalidInputException e = fails("mnist", 2, 4, 32, none);
        assertTrue(e.getMessage().contains("mnist-10k-images-idx3-ubyte.gz"), e.getMessage());
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken.resolve("mnist"));
        try (GZIPOutputStream z = new GZIPOutputStream(Files.newOutputStream(broken.resolve(MnistDigits.IMAGES)))) {
            z.write(new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28}); // cut short
        }
        Files.copy(SynthTestSupport.dataDir("mnist").resolve(MnistDigits.LABELS), broken.resolve(MnistDigits.LABELS));
        e = fails("mnist", 2, 4, 32, broken);
        assertTrue(e.getMessage().contains("mnist-10k-images"), e.getMessage());
        assertEquals(broken.resolve(MnistDigits.IMAGES).toAbsolutePath().normalize(), e.file());
    }

    @Test
    void refusesToReplaceAFolderThatIsNotADataset() throws IOException {
        Path out = tmp.resolve("mine");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep me");
        assertThrows(InvalidInputException.class,
                () -> SynthDataset.generate("sprites", 1, 4, 32, 1, Split.TRAIN, out, null));
        assertEquals("keep me", Files.readString(out.resolve("notes.txt")));
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        assertThrows(InvalidInputException.class,
                () -> SynthDataset.generate("sprites", 1, 4, 32, 1, Split.TRAIN, file, null));
    }

    @Test
    void anEarlierDatasetIsReplacedWhole() throws IOException {
        Path out = tmp.resolve("ds");
        SynthDataset.generate("sprites", 3, 4, 32, 1, Split.TRAIN, out, null);
        SynthDataset.generate("sprites", 1, 4, 32, 2, Split.TRAIN, out, null);
        try (var s = Files.list(out)) {
            assertEquals(2, s.count(), "one clip folder and dataset.json");
        }
    }

    @Test
    void clipRecordErrorsNameTheFile() throws IOException {
        Path dir = tmp.resolve("clip");
        Files.createDirectories(dir);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SynthClip.read(dir));
        assertTrue(e.getMessage().contains("clip.json"));
        Files.writeString(dir.resolve("clip.json"), "{\"domain\": \"faces\", \"content\": {\"type\": \"nope\"}}");
        e = assertThrows(InvalidInputException.class, () -> SynthClip.read(dir));
        assertTrue(e.getMessage().contains("clip.json"), e.getMessage());
    }
}
