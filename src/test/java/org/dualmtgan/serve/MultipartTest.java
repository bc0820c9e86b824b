package org.dualmtgan.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The multipart reader on its own: exact bytes across buffer refills, names, refusals. */
class MultipartTest {
    static final String B = "xYzBoundary42";

    /** Hands out at most a few bytes per read, so delimiters straddle every refill position. */
    static InputStream trickle(byte[] data, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) return -1;
                int n = Math.min(Math.min(len, data.length - pos), 1 + r.nextInt(9000));
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    static void text(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void filesAndFieldsComeBackExactly(@TempDir Path dir) throws IOException {
        // A 200 KB file full of near-delimiters: CRLF, "--", and the boundary without its CRLF.
        SplittableRandom r = new SplittableRandom(7);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        while (file.size() < 200_000) {
            switch (r.nextInt(4)) {
                case 0 -> text(file, "\r\n--");
                case 1 -> text(file, "--" + B);
                case 2 -> text(file, "\r\n--" + B.substring(0, 1 + r.nextInt(B.length() - 1)));
                default -> file.write(r.nextInt(256));
            }
        }
        byte[] bytes = file.toByteArray();
        // A random byte may complete a near-delimiter into a real one: break those.
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        for (int i = latin.indexOf("\r\n--" + B); i >= 0; i = latin.indexOf("\r\n--" + B, i + 1)) bytes[i + 2] = '=';
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        text(body, "preamble to ignore\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"seed\"\r\n\r\n42\r\n");
        text(body, "--" + B + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"C:\\\\Users\\\\me\\\\my photo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n");
        body.writeBytes(bytes);
        text(body, "\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nline one\r\nline two\r\n");
        text(body, "--" + B + "\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\r\n");
        text(body, "--" + B + "--\r\nepilogue");
        for (long seed = 0; seed < 3; seed++) {
            Path d = Files.createDirectories(dir.resolve("r" + seed));
            Form f = new Form();
            Multipart.read(trickle(body.toByteArray(), seed), B, d, f);
            assertEquals("42", f.text("seed", null));
            assertEquals("line one\r\nline two", f.text("note", null));
            Upload u = f.upload("image");
            assertEquals("my photo.png", u.fileName(), "folders of the client's name are dropped");
            assertEquals(bytes.length, u.size());
            assertArrayEquals(bytes, Files.readAllBytes(u.path()));
            assertTrue(u.path().getFileName().toString().matches("[0-9]{2}-my_photo\\.png"), u.path().toString());
            // A browser's empty file input is no upload at all.
            assertNull(f.upload("empty"));
            assertEquals(1, Files.list(d).count());
        }
    }

    @Test
    void encodedNamesAndTypesGiveReadableExtensions() {
        assertEquals("写真.png", Multipart.dispositionParams(new String(
                "form-data; name=\"image\"; filename*=UTF-8''%E5%86%99%E7%9C%9F.png".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1)).get("filename*"));
        assertEquals("a \"quoted\" name.gif", Multipart.dispositionParams("form-data; name=x; filename=\"a \\\"quoted\\\" name.gif\"").get("filename"));
        assertEquals("03-clip.mp4", Uploads.storedName(3, "clip", "video/mp4"));
        assertEquals("01-blob.png", Uploads.storedName(1, "blob", "image/png; charset=binary"));
        assertEquals("02-notes.txt", Uploads.storedName(2, "notes.txt", "text/plain"), "an unknown extension stays for the reader to name");
        assertEquals("04-png.png", Uploads.storedName(4, Uploads.displayName("../../.png"), "image/png"), "no folders, never hidden");
        assertEquals("05-upload.gif", Uploads.storedName(5, "..", "image/gif"));
        assertEquals("x.png", Uploads.displayName("/etc/../x.png"));
        assertEquals(B, Multipart.boundary("multipart/form-data; charset=utf-8; boundary=\"" + B + "\""));
    }

    @Test
    void malformedBodiesAre400(@TempDir Path dir) {
        String unterminated = "--" + B + "\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n4";
        HttpError e = assertThrows(HttpError.class, () -> Multipart.read(
                trickle(unterminated.getBytes(StandardCharsets.UTF_8), 1), B, dir, new Form()));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("closing boundary"), e.getMessage());
        String noName = "--" + B + "\r\nContent-Disposition: form-data\r\n\r\n4\r\n--" + B + "--\r\n";
        assertThrows(HttpError.class, () -> Multipart.read(trickle(noName.getBytes(StandardCharsets.UTF_8), 1), B, dir, new Form()));
        String twice = "--" + B + "\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n4\r\n--" + B
                + "\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n5\r\n--" + B + "--\r\n";
        HttpError dup = assertThrows(HttpError.class, () -> Multipart.read(trickle(twice.getBytes(StandardCharsets.UTF_8), 1), B, dir, new Form()));
        assertEquals("n", dup.field());
    }
}
