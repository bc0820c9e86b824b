package org.dualmtgan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP API end to end: a server on a free port with the tiny model, driven by java.net.http. */
class ApiServerTest {
    static final int S = TinyModel.SIZE;
    static final int T = TinyModel.FRAMES;
    static final long LIMIT = 256 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static Path work;
    static ModelRegistry models;
    static ApiServer server;
    static byte[] imagePng;
    static byte[] drivingGif;

    @BeforeAll
    static void start() throws IOException {
        work = Files.createTempDirectory("dualmtgan-serve-test");
        models = new ModelRegistry();
        models.load("tiny", TinyModel.shared().toString());
        models.add("tiny-kp", Animator.load(TinyModel.keypointModel(work.resolve("tiny-kp.ckpt"))));
        Path demo = Files.createDirectories(work.resolve("demo"));
        MediaWriter.write(TinyModel.squareVideo(1, 1), demo.resolve("square.png"));
        MediaWriter.write(TinyModel.squareVideo(2, T), demo.resolve("moving.gif"));
        imagePng = Files.readAllBytes(demo.resolve("square.png"));
        drivingGif = Files.readAllBytes(demo.resolve("moving.gif"));
        server = ApiServer.start(config(1), models, null);
    }

    static ServeConfig config(int queue) {
        ServeConfig c = new ServeConfig();
        c.port = 0;
        c.maxUploadBytes = LIMIT;
        c.workers = 1;
        c.queue = queue;
        c.maxFrames = 64;
        c.maxSamples = 8;
        c.demoDir = work.resolve("demo");
        c.shippedDemos = false;
        c.tempDir = work.resolve("tmp");
        return c;
    }

    @AfterAll
    static void stop() {
        Path root = server.tempRoot();
        server.close();
        assertFalse(Files.exists(root), "the server's temporary folder is removed when it stops");
        models.close();
        org.dualmtgan.util.AtomicFiles.deleteRecursively(work);
    }

    /** Every request, failed or not, leaves nothing in the server's temporary folder. */
    @AfterEach
    void noTemporaryFilesLeft() throws IOException {
        try (Stream<Path> s = Files.list(server.tempRoot())) {
            assertEquals(List.of(), s.toList());
        }
    }

    // ---- Helpers. ----

    /** A multipart/form-data body: text fields as name=value strings, files as {field, filename, bytes}. */
    static final class Multi {
        final String boundary = "----dualmtgan-test-7MA4YWxkTrZu0gW";
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multi field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multi file(String name, String fileName, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        byte[] body() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(out.toByteArray());
            b.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return b.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static URI uri(ApiServer s, String path) {
        return s.uri().resolve(path);
    }

    static HttpResponse<byte[]> post(String path, Multi form) throws Exception {
        return post(server, path, form);
    }

    static HttpResponse<byte[]> post(ApiServer s, String path, Multi form) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(uri(s, path))
                .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())).build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String type(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        assertTrue(type(r).startsWith("application/json"), "JSON expected, got " + type(r));
        return JSON.readTree(r.body());
    }

    /** Decodes a returned video with the media package (through a file of the right extension). */
    static Video decode(byte[] bytes, String ext) throws IOException {
        Path f = Files.createTempFile(work, "decoded-", "." + ext);
        try {
            Files.write(f, bytes);
            return MediaReader.readVideo(f, ext.equals("png") ? MediaReader.Layout.STRIP : MediaReader.Layout.AUTO);
        } finally {
            Files.delete(f);
        }
    }

    static List<String> zipNames(byte[] zip, List<byte[]> contents) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                names.add(e.getName());
                contents.add(z.readAllBytes());
            }
        }
        return names;
    }

    static Multi transferForm() {
        return new Multi().file("image", "square.png", imagePng).file("driving", "moving.gif", drivingGif);
    }

    /** Asserts an error response: status, JSON body, the field, and words the message must hold. */
    static JsonNode assertError(HttpResponse<byte[]> r, int status, String field, String... words) throws IOException {
        assertEquals(status, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        JsonNode e = json(r);
        String message = e.get("error").asText();
        if (field == null) assertTrue(e.get("field").isNull(), "no field expected: " + e);
        else assertEquals(field, e.get("field").asText(), message);
        for (String w : words) assertTrue(message.contains(w), "'" + message + "' should mention " + w);
        return e;
    }

    // ---- Reading endpoints and the page. ----

    @Test
    void healthAndModels() throws Exception {
        HttpResponse<byte[]> h = get("/api/v1/health");
        assertEquals(200, h.statusCode());
        JsonNode health = json(h);
        assertEquals("ok", health.get("status").asText());
        assertEquals("tiny", health.get("models").get(0).asText());

        JsonNode list = json(get("/api/v1/models")).get("models");
        assertEquals(2, list.size());
        JsonNode m = list.get(0);
        assertEquals("tiny", m.get("name").asText());
        assertTrue(m.get("default").asBoolean());
        assertEquals("latent", m.get("motion").asText());
        assertEquals("tiny-kp", list.get(1).get("name").asText());
        assertFalse(list.get(1).get("default").asBoolean());
        assertEquals("keypoints", list.get(1).get("motion").asText());
        assertEquals(S, m.get("size").asInt());
        assertEquals(T, m.get("frames").asInt());
        assertEquals(TinyModel.STEPS, m.get("card").get("step").asInt());
        assertEquals("tiny-animate-test", m.get("card").get("config").asText());
    }

    @Test
    void probesAnswerAStatusAndEveryAnswerCarriesARequestId() throws Exception {
        HttpResponse<byte[]> live = get("/healthz");
        assertEquals(200, live.statusCode());
        assertEquals("ok", json(live).get("status").asText());
        HttpResponse<byte[]> ready = get("/readyz");
        assertEquals(200, ready.statusCode());
        assertEquals("ready", json(ready).get("status").asText());
        // A made id on every answer; the client's own when it sends a sane one, also in a JSON error.
        String made = live.headers().firstValue("X-Request-Id").orElse("");
        assertTrue(made.matches("[0-9a-f-]{36}"), made);
        assertNotEquals(made, ready.headers().firstValue("X-Request-Id").orElse(""));
        HttpResponse<byte[]> mine = CLIENT.send(HttpRequest.newBuilder(uri(server, "/api/v1/nope")).header("X-Request-Id", "lb-1234.a")
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("lb-1234.a", mine.headers().firstValue("X-Request-Id").orElse(""));
        assertEquals("lb-1234.a", assertError(mine, 404, null, "/api/v1/nope").get("requestId").asText());
        HttpResponse<byte[]> odd = CLIENT.send(HttpRequest.newBuilder(uri(server, "/healthz")).header("X-Request-Id", "a b\tc")
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(odd.headers().firstValue("X-Request-Id").orElse("").matches("[0-9a-f-]{36}"), "an unsafe id is replaced");
    }

    @Test
    void theAccessLogHasALineOfFieldsPerRequestWithTheBytesSent() throws Exception {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (java.io.PrintStream log = new java.io.PrintStream(lines, true, StandardCharsets.UTF_8);
             ApiServer logged = ApiServer.start(config(1), models, log)) {
            HttpResponse<byte[]> health = CLIENT.send(HttpRequest.newBuilder(uri(logged, "/api/v1/health")).header("X-Request-Id", "probe-7")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> job = CLIENT.send(HttpRequest.newBuilder(uri(logged, "/api/v1/jobs/nope%20x")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(404, job.statusCode());
            String text = "";
            for (int i = 0; i < 50 && text.lines().count() < 2; i++) {
                Thread.sleep(50);
                text = lines.toString(StandardCharsets.UTF_8);
            }
            List<String> all = text.lines().filter(l -> l.startsWith("time=")).toList();
            String first = all.stream().filter(l -> l.contains(" id=probe-7 ")).findFirst().orElseThrow(() -> new AssertionError(lines));
            assertTrue(first.matches("time=\\S+ id=probe-7 method=GET route=/api/v1/health path=/api/v1/health status=200 ms=[0-9.]+ bytes="
                    + health.body().length), first);
            String second = all.stream().filter(l -> l.contains("status=404")).findFirst().orElseThrow(() -> new AssertionError(lines));
            assertTrue(second.contains(" route=/api/v1/jobs/{id} path=/api/v1/jobs/nope%20x "), second);
            assertTrue(second.endsWith(" bytes=" + job.body().length), second);
        }
    }

    @Test
    void oddPathsGetTheDocumentedJsonError() throws Exception {
        assertError(get("/nope"), 404, null, "/nope");
        // On a client of its own: the server drops the connection it refused a request on.
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<byte[]> nul = own.send(HttpRequest.newBuilder(uri(server, "/api/v1/jobs/%00/result")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("close", nul.headers().firstValue("Connection").orElse(""));
        assertTrue(nul.statusCode() == 400 || nul.statusCode() == 404, "status " + nul.statusCode());
        assertTrue(type(nul).startsWith("application/json"), "a JSON error, not the framework's page: " + type(nul)
                + " " + new String(nul.body(), StandardCharsets.UTF_8));
        assertTrue(json(nul).has("error"));
    }

    @Test
    void pageIsServedWithItsScriptAndStyle() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(type(page).startsWith("text/html"));
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<form") && html.contains("src=\"app.js\"") && html.contains("href=\"style.css\""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        HttpResponse<byte[]> js = get("/app.js");
        assertEquals(200, js.statusCode());
        assertTrue(type(js).startsWith("text/javascript"));
        assertTrue(new String(js.body(), StandardCharsets.UTF_8).contains("'api/v1'"));
        assertTrue(type(get("/style.css")).startsWith("text/css"));
    }

    @Test
    void unknownRoutesAndMethods() throws Exception {
        assertError(get("/api/v1/nope"), 404, null, "/api/v1/nope");
        HttpResponse<byte[]> r = get("/api/v1/transfer");
        assertError(r, 405, null, "POST");
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        HttpResponse<byte[]> p = post("/api/v1/health", new Multi().field("x", "1"));
        assertError(p, 405, null, "GET");
    }

    // ---- Transfer. ----

    @Test
    void transferAnswersAGifOfTheDrivingLength() throws Exception {
        HttpResponse<byte[]> r = post("/api/v1/transfer", transferForm());
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("image/gif", type(r));
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains("transfer.gif"));
        Video v = decode(r.body(), "gif");
        assertEquals(T, v.frames());
        assertEquals(S, v.width());
        assertEquals(S, v.height());
    }

    @Test
    void transferInEveryFormat() throws Exception {
        HttpResponse<byte[]> mp4 = post("/api/v1/transfer", transferForm().field("format", "mp4"));
        assertEquals("video/mp4", type(mp4));
        assertEquals(T, decode(mp4.body(), "mp4").frames());

        HttpResponse<byte[]> strip = post("/api/v1/transfer", transferForm().field("format", "png"));
        assertEquals("image/png", type(strip));
        Video s = decode(strip.body(), "png");
        assertEquals(T, s.frames());

        // The sheet: image, driving video and result, one row each, enlarged to a readable height.
        HttpResponse<byte[]> sheet = post("/api/v1/transfer", transferForm().field("sheet", "true"));
        assertEquals("image/png", type(sheet));
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new ByteArrayInputStream(sheet.body()));
        assertTrue(png.getHeight() >= 3 * 128, "three rows of at least 128 px, got " + png.getHeight());

        HttpResponse<byte[]> js = post("/api/v1/transfer", transferForm().field("format", "json").field("media", "gif,mp4"));
        JsonNode doc = json(js);
        assertEquals("transfer", doc.get("operation").asText());
        assertEquals("tiny", doc.get("model").asText());
        JsonNode item = doc.get("items").get(0);
        assertEquals(T, item.get("frames").asInt());
        assertEquals(T, decode(Base64.getDecoder().decode(item.get("gif").asText()), "gif").frames());
        assertEquals(T, decode(Base64.getDecoder().decode(item.get("mp4").asText()), "mp4").frames());
        assertFalse(doc.has("sheet"));
    }

    @Test
    void keypointModelsTransferInRelativeModeByDefaultAndInAbsoluteModeOnRequest() throws Exception {
        JsonNode relative = json(post("/api/v1/transfer", transferForm().field("model", "tiny-kp").field("format", "json")));
        assertEquals("relative", relative.get("transferMode").asText());
        JsonNode absolute = json(post("/api/v1/transfer", transferForm().field("model", "tiny-kp").field("format", "json")
                .field("absolute", "true")));
        assertEquals("absolute", absolute.get("transferMode").asText());
        assertEquals(T, absolute.get("items").get(0).get("frames").asInt());
        // A per-clip latent has one mode: the option is refused by name, and a latent answer names no mode.
        assertError(post("/api/v1/transfer", transferForm().field("absolute", "true")), 400, "absolute", "keypoint", "tiny");
        assertFalse(json(post("/api/v1/transfer", transferForm().field("format", "json"))).has("transferMode"));
        assertError(post("/api/v1/transfer", transferForm().field("model", "tiny-kp").field("absolute", "maybe")), 400, "absolute");
    }

    @Test
    void transferOfTheSameInputsGivesTheSameBytes() throws Exception {
        byte[] a = post("/api/v1/transfer", transferForm()).body();
        byte[] b = post("/api/v1/transfer", transferForm().field("model", "tiny")).body();
        assertArrayEquals(a, b);
    }

    @Test
    void cropFieldsFrameTheInputsAsAPreCroppedUploadWould() throws Exception {
        // The uploaded image is a wide canvas (not a multiple of its height: not a strip) with the
        // square at its right end: imageCrop picks it.
        java.awt.image.BufferedImage square = javax.imageio.ImageIO.read(new ByteArrayInputStream(imagePng));
        int w = square.getWidth(), h = square.getHeight();
        java.awt.image.BufferedImage wide = new java.awt.image.BufferedImage(2 * w + 7, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        wide.getGraphics().drawImage(square, w + 7, 0, null);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(wide, "png", png);
        byte[] plain = post("/api/v1/transfer", transferForm()).body();
        HttpResponse<byte[]> cropped = post("/api/v1/transfer", new Multi().file("image", "wide.png", png.toByteArray())
                .file("driving", "moving.gif", drivingGif).field("imageCrop", (w + 7) + ",0," + w + "," + h));
        assertEquals(200, cropped.statusCode(), () -> new String(cropped.body(), StandardCharsets.UTF_8));
        assertArrayEquals(plain, cropped.body());
        HttpResponse<byte[]> centred = post("/api/v1/transfer", new Multi().file("image", "wide.png", png.toByteArray())
                .file("driving", "moving.gif", drivingGif));
        assertFalse(java.util.Arrays.equals(plain, centred.body()), "the default centred square is another region");
        assertError(post("/api/v1/transfer", transferForm().field("imageCrop", "face")), 400, "imageCrop", "face");
        assertError(post("/api/v1/transfer", transferForm().field("drivingCrop", "0,0,4096,4096")), 400, "driving", "moving.gif", "does not fit");
        assertEquals(200, post("/api/v1/generate", new Multi().file("image", "wide.png", png.toByteArray())
                .field("imageCrop", (w + 7) + ",0," + w + "," + h)).statusCode());
    }

    // ---- Generate. ----

    @Test
    void generateOneSampleIsAGifAndTheSeedFixesTheBytes() throws Exception {
        HttpResponse<byte[]> a = post("/api/v1/generate", new Multi().file("image", "square.png", imagePng).field("seed", "5"));
        assertEquals(200, a.statusCode(), () -> new String(a.body(), StandardCharsets.UTF_8));
        assertEquals("image/gif", type(a));
        assertEquals(T, decode(a.body(), "gif").frames());
        HttpResponse<byte[]> b = post("/api/v1/generate", new Multi().file("image", "square.png", imagePng).field("seed", "5"));
        assertArrayEquals(a.body(), b.body());
        HttpResponse<byte[]> c = post("/api/v1/generate", new Multi().file("image", "square.png", imagePng).field("seed", "6"));
        assertFalse(Arrays.equals(a.body(), c.body()), "another seed gives other motion");
        HttpResponse<byte[]> longer = post("/api/v1/generate",
                new Multi().file("image", "square.png", imagePng).field("seed", "5").field("frames", "12"));
        assertEquals(12, decode(longer.body(), "gif").frames());
    }

    @Test
    void generateSeveralIsAZipOfGifsOrJson() throws Exception {
        HttpResponse<byte[]> r = post("/api/v1/generate", new Multi().file("image", "square.png", imagePng)
                .field("n", "3").field("seed", "1"));
        assertEquals("application/zip", type(r));
        List<byte[]> contents = new ArrayList<>();
        assertEquals(List.of("sample-00.gif", "sample-01.gif", "sample-02.gif"), zipNames(r.body(), contents));
        for (byte[] gif : contents) assertEquals(T, decode(gif, "gif").frames());
        // The first sample of n = 3 is the sample of n = 1 with the same seed.
        byte[] one = post("/api/v1/generate", new Multi().file("image", "square.png", imagePng).field("seed", "1")).body();
        assertArrayEquals(one, contents.get(0));
        // The same request gives the same archive.
        assertArrayEquals(r.body(), post("/api/v1/generate", new Multi().file("image", "square.png", imagePng)
                .field("n", "3").field("seed", "1")).body());

        JsonNode doc = json(post("/api/v1/generate", new Multi().file("image", "square.png", imagePng)
                .field("n", "2").field("seed", "1").field("format", "json").field("sheet", "true")));
        assertEquals(2, doc.get("items").size());
        assertEquals(1, doc.get("seed").asLong());
        assertEquals(T, doc.get("frames").asInt());
        assertArrayEquals(contents.get(1), Base64.getDecoder().decode(doc.get("items").get(1).get("gif").asText()));
        assertNotNull(javax.imageio.ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(doc.get("sheet").asText()))));
    }

    @Test
    void generateFromGivenFrames() throws Exception {
        HttpResponse<byte[]> r = post("/api/v1/generate", new Multi().file("image", "moving.gif", drivingGif)
                .field("given", "3").field("frames", "10"));
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(10, decode(r.body(), "gif").frames());
        assertError(post("/api/v1/generate", new Multi().file("image", "moving.gif", drivingGif)
                .field("given", "4").field("frames", "2")), 400, "frames", "given");
    }

    @Test
    void aStripGivenAsTheImageIsItsFirstFrame() throws Exception {
        Video clip = TinyModel.squareVideo(3, 4);
        Path strip = work.resolve("strip.png");
        Path first = work.resolve("first.png");
        MediaWriter.write(clip, strip, MediaWriter.OutputFormat.STRIP);
        MediaWriter.write(clip.frame(0), first);
        byte[] a = post("/api/v1/generate", new Multi().file("image", "strip.png", Files.readAllBytes(strip)).field("seed", "2")).body();
        byte[] b = post("/api/v1/generate", new Multi().file("image", "first.png", Files.readAllBytes(first)).field("seed", "2")).body();
        assertArrayEquals(b, a);
    }

    // ---- Reconstruct and interpolate. ----

    @Test
    void reconstructKeepsTheLength() throws Exception {
        HttpResponse<byte[]> r = post("/api/v1/reconstruct", new Multi().file("video", "moving.gif", drivingGif));
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("image/gif", type(r));
        assertEquals(T, decode(r.body(), "gif").frames());
        HttpResponse<byte[]> cut = post("/api/v1/reconstruct", new Multi().file("video", "moving.gif", drivingGif).field("maxFrames", "5"));
        assertEquals(5, decode(cut.body(), "gif").frames());
    }

    @Test
    void interpolateGivesStepsVideos() throws Exception {
        byte[] other = Files.readAllBytes(writeGif(9, T));
        HttpResponse<byte[]> r = post("/api/v1/interpolate", new Multi().file("image", "square.png", imagePng)
                .file("motionA", "a.gif", drivingGif).file("motionB", "b.gif", other).field("steps", "3"));
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/zip", type(r));
        List<byte[]> contents = new ArrayList<>();
        assertEquals(List.of("step-00.gif", "step-01.gif", "step-02.gif"), zipNames(r.body(), contents));
        assertEquals(T, decode(contents.get(2), "gif").frames());
        JsonNode doc = json(post("/api/v1/interpolate", new Multi().file("image", "square.png", imagePng)
                .file("motionA", "a.gif", drivingGif).file("motionB", "b.gif", other).field("steps", "3").field("format", "json")));
        assertEquals(1.0, doc.get("weights").get(0).asDouble(), 1e-9);
        assertEquals(0.5, doc.get("weights").get(1).asDouble(), 1e-9);
        assertEquals(0.0, doc.get("weights").get(2).asDouble(), 1e-9);
    }

    static Path writeGif(long seed, int frames) {
        Path p = work.resolve("gif-" + seed + "-" + frames + ".gif");
        if (!Files.exists(p)) MediaWriter.write(TinyModel.squareVideo(seed, frames), p);
        return p;
    }

    // ---- Demo inputs. ----

    @Test
    void demoInputsAreListedServedAndUsable() throws Exception {
        JsonNode demos = json(get("/api/v1/demos")).get("demos");
        assertEquals(2, demos.size());
        assertEquals("moving.gif", demos.get(0).get("name").asText());
        assertEquals("video", demos.get(0).get("kind").asText());
        assertEquals("square.png", demos.get(1).get("name").asText());
        assertEquals("image", demos.get(1).get("kind").asText());
        HttpResponse<byte[]> file = get("/api/v1/demos/square.png");
        assertEquals("image/png", type(file));
        assertArrayEquals(imagePng, file.body());
        assertError(get("/api/v1/demos/..%2Fsecret.png"), 404, null);

        HttpResponse<byte[]> byName = post("/api/v1/transfer", new Multi().field("imageDemo", "square.png").field("drivingDemo", "moving.gif"));
        assertArrayEquals(post("/api/v1/transfer", transferForm()).body(), byName.body(), "a demo input is the same as its upload");
        assertError(post("/api/v1/generate", new Multi().field("imageDemo", "nope.png")), 404, "imageDemo", "nope.png");
    }

    @Test
    void shippedDemoInputsDriveTheModel() throws Exception {
        ServeConfig c = config(1);
        c.demoDir = null;
        c.shippedDemos = true;
        try (ApiServer shipped = ApiServer.start(c, models, null)) {
            JsonNode demos = JSON.readTree(CLIENT.send(HttpRequest.newBuilder(uri(shipped, "/api/v1/demos")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).get("demos");
            JsonNode still = null;
            for (JsonNode d : demos) if (d.get("name").asText().equals("weizmann-p6-still.png")) still = d;
            assertNotNull(still, "the shipped still is offered: " + demos);
            assertEquals("image", still.get("kind").asText());
            assertEquals("weizmann-64", still.get("model").asText());
            assertFalse(still.get("label").asText().isEmpty());
            // A real held-out person driven by another's 16-frame jumping jack (64 px strips, run at 32 px).
            HttpResponse<byte[]> r = post(shipped, "/api/v1/transfer", new Multi()
                    .field("imageDemo", "weizmann-p6-still.png").field("drivingDemo", "weizmann-p5-jack.png"));
            assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
            Video v = decode(r.body(), "gif");
            assertEquals(16, v.frames());
            assertEquals(S, v.width());
            try (Stream<Path> s = Files.list(shipped.tempRoot())) {
                assertEquals(List.of(), s.toList(), "the copied demo input is removed with the request");
            }
        }
    }

    // ---- Bad input. ----

    @Test
    void unreadableUploadsNameTheFileAndTheField() throws Exception {
        byte[] junk = "this is not an image".getBytes(StandardCharsets.UTF_8);
        JsonNode e = assertError(post("/api/v1/transfer", new Multi().file("image", "holiday photo.png", junk)
                .file("driving", "moving.gif", drivingGif)), 400, "image", "holiday photo.png");
        assertFalse(e.get("error").asText().contains(server.tempRoot().toString()), "the temporary copy is not shown: " + e);

        assertError(post("/api/v1/transfer", new Multi().file("image", "square.png", imagePng)
                .file("driving", "clip.mp4", junk)), 400, "driving", "clip.mp4");
        // A video with no frames at all: an empty file.
        assertError(post("/api/v1/transfer", new Multi().file("image", "square.png", imagePng)
                .file("driving", "empty.mp4", new byte[0])), 400, "driving", "empty.mp4", "empty");
        assertError(post("/api/v1/reconstruct", new Multi().file("video", "notes.txt", junk)), 400, "video", "notes.txt");
    }

    @Test
    void badParametersAreRefusedByName() throws Exception {
        Multi image = new Multi().file("image", "square.png", imagePng);
        assertError(post("/api/v1/generate", image.field("n", "many")), 400, "n", "many");
        assertError(post("/api/v1/generate", new Multi().file("image", "square.png", imagePng).field("n", "0")), 400, "n", "between 1 and 8");
        assertError(post("/api/v1/generate", new Multi().file("image", "square.png", imagePng).field("frames", "65")), 400, "frames", "64");
        assertError(post("/api/v1/generate", new Multi().file("image", "square.png", imagePng).field("samples", "3")), 400, "samples", "unknown field");
        assertError(post("/api/v1/generate", new Multi().file("image", "square.png", imagePng).field("sheet", "maybe")), 400, "sheet");
        assertError(post("/api/v1/generate", new Multi().field("seed", "1")), 400, "image", "no image");
        assertError(post("/api/v1/interpolate", new Multi().file("image", "square.png", imagePng)
                .file("motionA", "a.gif", drivingGif).file("motionB", "b.gif", drivingGif).field("steps", "1")), 400, "steps");
        assertError(post("/api/v1/transfer", transferForm().field("model", "nobody")), 404, "model", "nobody", "tiny");
        assertError(post("/api/v1/transfer", transferForm().field("format", "bmp")), 415, "format", "bmp");
        assertError(post("/api/v1/transfer", transferForm().field("format", "gif").field("media", "mp4")), 400, "media");
        // A field given twice (query and form).
        assertError(post("/api/v1/transfer?format=gif", transferForm().field("format", "mp4")), 400, "format", "twice");
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(uri(server, "/api/v1/transfer")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build();
        assertError(CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray()), 415, null, "multipart/form-data");
    }

    @Test
    void oversizeUploadsAre413() throws Exception {
        byte[] big = new byte[(int) LIMIT + 1024];
        // Repeated: a client that sends its whole body must read the 413, not a broken pipe or a
        // dead pooled connection (the server drops the refused body and answers Connection: close).
        for (int i = 0; i < 10; i++) {
            // Refused from the Content-Length header, before the body is parsed.
            assertError(post("/api/v1/transfer", new Multi().file("image", "big.png", big)), 413, null, "256 KiB");
            // Without a length (chunked), refused while streaming once the count passes the limit.
            Multi m = new Multi().file("image", "big.png", big);
            HttpRequest r = HttpRequest.newBuilder(uri(server, "/api/v1/transfer"))
                    .header("Content-Type", "multipart/form-data; boundary=" + m.boundary)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(m.body()))).build();
            assertError(CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray()), 413, null, "256 KiB");
        }
        // The server still answers afterwards.
        assertEquals(200, get("/api/v1/health").statusCode());
    }

    // ---- Concurrency. ----

    @Test
    void aFullQueueIs503() throws Exception {
        // One worker and no queue: while one request is held on the worker, the next is refused.
        try (ApiServer busy = ApiServer.start(config(0), models, null)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            busy.beforeWork = () -> {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(busy, "/api/v1/transfer", transferForm());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            HttpResponse<byte[]> second = post(busy, "/api/v1/transfer", transferForm());
            assertError(second, 503, null, "busy");
            assertEquals("5", second.headers().firstValue("Retry-After").orElse(""));
            // Reading endpoints still answer while the worker is busy.
            HttpResponse<byte[]> health = CLIENT.send(HttpRequest.newBuilder(uri(busy, "/api/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(1, JSON.readTree(health.body()).get("running").asInt());
            release.countDown();
            assertEquals(200, first.get(60, TimeUnit.SECONDS).statusCode());
            assertEquals(200, post(busy, "/api/v1/transfer", transferForm()).statusCode());
        }
    }

    @Test
    void aSynchronousRequestStopsWhenItsClientLeaves() throws Exception {
        try (ApiServer busy = ApiServer.start(config(0), models, null)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch left = new CountDownLatch(1);
            busy.beforeWork = () -> {
                entered.countDown();
                try {
                    left.await(30, TimeUnit.SECONDS);
                    Thread.sleep(300); // the server's side sees the FIN
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            Multi form = transferForm();
            try (java.net.Socket socket = new java.net.Socket(busy.uri().getHost(), busy.uri().getPort())) {
                java.io.OutputStream o = socket.getOutputStream();
                o.write(("POST /api/v1/transfer HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary="
                        + form.boundary + "\r\nContent-Length: " + form.body().length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                o.write(form.body());
                o.flush();
                assertTrue(entered.await(30, TimeUnit.SECONDS), "the work started");
            }
            left.countDown();
            // The worker stops at its first frame and counts the request as abandoned (499 in the log).
            String text = "";
            for (int i = 0; i < 100 && !text.contains("dualmtgan_requests_abandoned_total 1.0"); i++) {
                Thread.sleep(100);
                text = new String(CLIENT.send(HttpRequest.newBuilder(uri(busy, "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8);
            }
            assertTrue(text.contains("dualmtgan_requests_abandoned_total 1.0"), "abandoned request counted");
            assertTrue(text.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                    && l.contains("route=\"/api/v1/transfer\"") && l.contains("status=\"499\"")), "logged as 499");
            // A client that stays gets its answer, on a connection the server then closes (errors too).
            busy.beforeWork = () -> {};
            HttpResponse<byte[]> ok = post(busy, "/api/v1/transfer", transferForm());
            assertEquals(200, ok.statusCode());
            assertEquals("close", ok.headers().firstValue("Connection").orElse("").toLowerCase(Locale.ROOT));
            HttpResponse<byte[]> bad = post(busy, "/api/v1/generate", new Multi().file("image", "i.png", imagePng).field("n", "99"));
            assertEquals(400, bad.statusCode());
            assertEquals("close", bad.headers().firstValue("Connection").orElse("").toLowerCase(Locale.ROOT), "an error closes it too");
            assertEquals(200, CLIENT.send(HttpRequest.newBuilder(uri(busy, "/api/v1/health")).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode());
            assertEquals(200, post(busy, "/api/v1/transfer", transferForm()).statusCode());
        }
    }
}
