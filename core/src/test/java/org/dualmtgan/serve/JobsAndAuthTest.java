package org.dualmtgan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.dualmtgan.serve.ApiServerTest.CLIENT;
import static org.dualmtgan.serve.ApiServerTest.JSON;
import org.dualmtgan.serve.ApiServerTest.Multi;
import static org.junit.jupiter.api.Assertions.*;

/** Bearer tokens, jobs with progress, expiry and cancellation, and the OpenAPI description, over real HTTP. */
class JobsAndAuthTest {
    static final String TOKEN = "test-token-1234";
    static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        ApiServerTest.start();
        ServeConfig c = ApiServerTest.config(2);
        c.token = TOKEN;
        c.jobTtlMillis = 1500;
        server = ApiServer.start(c, ApiServerTest.models, null);
    }

    @AfterAll
    static void stop() {
        server.close();
        ApiServerTest.stop();
    }

    static HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    static HttpResponse<byte[]> send(HttpRequest r) throws Exception {
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return send(request(path, TOKEN).GET().build());
    }

    static HttpResponse<byte[]> post(String path, Multi form, String token) throws Exception {
        return send(request(path, token).header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())).build());
    }

    static Multi generateForm(int n) {
        return new Multi().file("image", "square.png", ApiServerTest.imagePng).field("n", Integer.toString(n)).field("seed", "5");
    }

    @Test
    void everyApiCallNeedsTheToken() throws Exception {
        HttpResponse<byte[]> none = send(request("/api/v1/health", null).GET().build());
        ApiServerTest.assertError(none, 401, null, "Authorization: Bearer");
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        ApiServerTest.assertError(send(request("/api/v1/models", "wrong-token-000").GET().build()), 401, null, "wrong");
        ApiServerTest.assertError(post("/api/v1/transfer", ApiServerTest.transferForm(), null), 401, null, "token");
        assertEquals(200, get("/api/v1/health").statusCode());
        // The probes need no token either: a load balancer has none.
        assertEquals(200, send(request("/healthz", null).GET().build()).statusCode());
        assertEquals(200, send(request("/readyz", null).GET().build()).statusCode());
        // The page and the API description are public: they hold no data.
        assertEquals(200, send(request("/", null).GET().build()).statusCode());
        assertEquals(200, send(request("/openapi.json", null).GET().build()).statusCode());
        // No CORS unless asked for.
        HttpResponse<byte[]> cross = send(request("/api/v1/health", TOKEN).header("Origin", "https://elsewhere.example").GET().build());
        assertTrue(cross.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void withoutATokenOnlyLoopbackMayBeBound() {
        ServeConfig c = new ServeConfig();
        c.host = "0.0.0.0";
        InvalidInputException e = assertThrows(InvalidInputException.class, c::validate);
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        c.token = TOKEN;
        c.validate();
        c.token = "short";
        assertThrows(InvalidInputException.class, c::validate);
        ServeConfig local = new ServeConfig();
        local.host = "localhost";
        local.validate();
    }

    @Test
    void corsOnlyForTheOriginsGiven() throws Exception {
        ServeConfig c = ApiServerTest.config(1);
        c.corsOrigins = List.of("https://app.example");
        try (ApiServer s = ApiServer.start(c, ApiServerTest.models, null)) {
            HttpResponse<byte[]> ok = send(HttpRequest.newBuilder(s.uri().resolve("/api/v1/health"))
                    .header("Origin", "https://app.example").GET().build());
            assertEquals("https://app.example", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            HttpResponse<byte[]> other = send(HttpRequest.newBuilder(s.uri().resolve("/api/v1/health"))
                    .header("Origin", "https://evil.example").GET().build());
            assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
    }

    /** The status line a raw request with the given Host header gets (HttpClient may not set Host itself). */
    static String withHost(ApiServer s, String host) throws Exception {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.port())) {
            sock.setSoTimeout(10_000);
            sock.getOutputStream().write(("GET /api/v1/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return answer.substring(0, answer.indexOf("\r\n")) + (answer.contains("not a loopback name") ? " (named)" : "");
        }
    }

    @Test
    void aTokenlessServerAnswersOnlyLoopbackNamesAndSameOriginPosts() throws Exception {
        ServeConfig c = ApiServerTest.config(4);
        c.corsOrigins = List.of("https://app.example");
        try (ApiServer s = ApiServer.start(c, ApiServerTest.models, null)) {
            for (String host : List.of("127.0.0.1:" + s.port(), "localhost:" + s.port(), "[::1]:" + s.port(), "localhost")) {
                assertEquals("HTTP/1.1 200 OK", withHost(s, host), host);
            }
            // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1.
            assertEquals("HTTP/1.1 403 Forbidden (named)", withHost(s, "rebind.evil.example:" + s.port()));
            assertEquals("HTTP/1.1 403 Forbidden (named)", withHost(s, "127.0.0.1.evil.example"));
            // A cross-site form POST starts nothing; the page's own (same-origin) and a --cors origin's do.
            java.util.function.BiFunction<String, String, HttpResponse<byte[]>> post = (origin, site) -> {
                Multi form = generateForm(1);
                HttpRequest.Builder b = HttpRequest.newBuilder(s.uri().resolve("/api/v1/jobs/generate"))
                        .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()));
                if (origin != null) b.header("Origin", origin);
                if (site != null) b.header("Sec-Fetch-Site", site);
                try {
                    return send(b.build());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            String self = "http://127.0.0.1:" + s.port();
            ApiServerTest.assertError(post.apply("https://evil.example", "cross-site"), 403, null, "another site", "evil.example");
            ApiServerTest.assertError(post.apply(null, "cross-site"), 403, null, "another site");
            ApiServerTest.assertError(post.apply("null", null), 403, null, "another site");
            int jobs = JSON.readTree(send(HttpRequest.newBuilder(s.uri().resolve("/api/v1/jobs")).GET().build()).body()).get("jobs").size();
            assertEquals(0, jobs, "refused posts start no job");
            assertEquals(202, post.apply(self, "same-origin").statusCode());
            assertEquals(202, post.apply("https://app.example", "cross-site").statusCode());
            assertEquals(202, post.apply(null, null).statusCode(), "curl and other non-browser clients send no Origin");
        }
    }

    @Test
    void aJobBelongsToTheClientWhoseTokenSubmittedIt() throws Exception {
        Path file = Files.createTempFile("dualmtgan-tokens", ".txt");
        Files.writeString(file, "# clients of the test\nalice alice-token-1\n\nbob   bob-token-22\n");
        ServeConfig c = ApiServerTest.config(4);
        c.clientTokens = ServeConfig.readTokens(file);
        Files.delete(file);
        try (ApiServer s = ApiServer.start(c, ApiServerTest.models, null)) {
            java.util.function.BiFunction<String, HttpRequest.Builder, HttpResponse<byte[]>> as = (t, b) -> {
                try {
                    return send(b.header("Authorization", "Bearer " + t).build());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            Multi form = generateForm(1);
            HttpResponse<byte[]> made = as.apply("alice-token-1", HttpRequest.newBuilder(s.uri().resolve("/api/v1/jobs/generate"))
                    .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())));
            assertEquals(202, made.statusCode());
            String id = JSON.readTree(made.body()).get("id").asText();
            String job = "/api/v1/jobs/" + id;
            // Alice sees, reads and may cancel it; Bob gets the 404 of an unknown job everywhere.
            assertEquals(1, JSON.readTree(as.apply("alice-token-1", HttpRequest.newBuilder(s.uri().resolve("/api/v1/jobs"))).body())
                    .get("jobs").size());
            assertEquals(0, JSON.readTree(as.apply("bob-token-22", HttpRequest.newBuilder(s.uri().resolve("/api/v1/jobs"))).body())
                    .get("jobs").size());
            ApiServerTest.assertError(as.apply("bob-token-22", HttpRequest.newBuilder(s.uri().resolve(job))), 404, null, "no job");
            ApiServerTest.assertError(as.apply("bob-token-22", HttpRequest.newBuilder(s.uri().resolve(job + "/result"))), 404, null, "no job");
            ApiServerTest.assertError(as.apply("bob-token-22", HttpRequest.newBuilder(s.uri().resolve(job)).DELETE()), 404, null, "no job");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            HttpResponse<byte[]> result;
            do {
                Thread.sleep(20);
                result = as.apply("alice-token-1", HttpRequest.newBuilder(s.uri().resolve(job + "/result")));
            } while (result.statusCode() == 409 && System.nanoTime() < deadline);
            assertEquals(200, result.statusCode(), "Bob's attempts left Alice's job alone");
            ApiServerTest.assertError(as.apply("carol-token-3", HttpRequest.newBuilder(s.uri().resolve("/api/v1/jobs"))), 401, null, "wrong");
        }
    }

    @Test
    void aTokensFileWithABadLineIsRefusedNamingTheLine() throws Exception {
        Path file = Files.createTempFile("dualmtgan-tokens", ".txt");
        try {
            Files.writeString(file, "alice alice-token-1\njust-a-token\n");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ServeConfig.readTokens(file));
            assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains("line 2"), e.getMessage());
            Files.writeString(file, "alice alice-token-1\nbob alice-token-1\n");
            ServeConfig c = ApiServerTest.config(1);
            c.clientTokens = ServeConfig.readTokens(file);
            assertTrue(assertThrows(InvalidInputException.class, c::validate).getMessage().contains("shares its token"));
            Files.writeString(file, "alice short\n");
            c.clientTokens = ServeConfig.readTokens(file);
            assertTrue(assertThrows(InvalidInputException.class, c::validate).getMessage().contains("at least 8"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static JsonNode poll(String id, java.util.function.Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode j = JSON.readTree(get("/api/v1/jobs/" + id).body());
            if (until.test(j)) return j;
            Thread.sleep(10);
        }
        fail("job " + id + " did not reach the state in time");
        return null;
    }

    @Test
    void aJobReportsProgressAndItsResultEqualsTheSynchronousAnswer() throws Exception {
        // Each progress report waits for the test to have seen it, so every step is observed.
        List<Long> seen = new ArrayList<>();
        CountDownLatch[] gate = {new CountDownLatch(1)};
        server.jobs().onProgress = j -> {
            try {
                gate[0].await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            HttpResponse<byte[]> r = post("/api/v1/jobs/generate", generateForm(3), TOKEN);
            assertEquals(202, r.statusCode(), new String(r.body()));
            JsonNode job = JSON.readTree(r.body());
            String id = job.get("id").asText();
            assertEquals(32, id.length());
            assertEquals("/api/v1/jobs/" + id, r.headers().firstValue("Location").orElse(""));
            ApiServerTest.assertError(get("/api/v1/jobs/" + id + "/result"), 409, null, "poll");
            for (int step = 0; step < 4; step++) {
                JsonNode now = poll(id, j -> j.get("state").asText().equals("running") || j.get("state").asText().equals("done"));
                seen.add(now.get("progress").get("framesDone").asLong());
                gate[0].countDown();
                gate[0] = new CountDownLatch(1);
                Thread.sleep(30);
            }
            gate[0].countDown();
            server.jobs().onProgress = j -> {};
            JsonNode done = poll(id, j -> j.get("state").asText().equals("done"));
            assertEquals(3 * ApiServerTest.T, done.get("progress").get("framesTotal").asLong());
            assertEquals(1.0, done.get("progress").get("fraction").asDouble());
            assertTrue(done.has("expires"));
            assertTrue(seen.get(0) < 3L * ApiServerTest.T, "progress seen before the end: " + seen);
            for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i) >= seen.get(i - 1), "progress only advances: " + seen);
            assertTrue(new HashSet<>(seen).size() >= 2, "progress moved: " + seen);
            HttpResponse<byte[]> result = get("/api/v1/jobs/" + id + "/result");
            assertEquals(200, result.statusCode());
            assertTrue(Long.parseLong(result.headers().firstValue("X-Elapsed-Ms").orElse("-1")) >= 0, "the job's compute time");
            HttpResponse<byte[]> sync = post("/api/v1/generate", generateForm(3), TOKEN);
            assertArrayEquals(sync.body(), result.body(), "a job answers the synchronous endpoint's bytes");
            assertEquals(sync.headers().firstValue("Content-Type"), result.headers().firstValue("Content-Type"));
        } finally {
            server.jobs().onProgress = j -> {};
            gate[0].countDown();
        }
    }

    @Test
    void aBadJobIsRefusedAtSubmissionAsTheSynchronousEndpointRefusesIt() throws Exception {
        int before = JSON.readTree(get("/api/v1/jobs").body()).get("jobs").size();
        // A text file as the image, and a sample count out of range: 400 naming the field, no job made.
        HttpResponse<byte[]> r = post("/api/v1/jobs/generate", new Multi().file("image", "notes.png", "text".getBytes()), TOKEN);
        ApiServerTest.assertError(r, 400, "image", "notes.png");
        ApiServerTest.assertError(post("/api/v1/generate", new Multi().file("image", "notes.png", "text".getBytes()), TOKEN),
                400, "image", "notes.png");
        ApiServerTest.assertError(post("/api/v1/jobs/generate", generateForm(1).field("n", "-1"), TOKEN), 400, "n");
        assertEquals(before, JSON.readTree(get("/api/v1/jobs").body()).get("jobs").size(), "no job was created");
        assertEquals(3, JSON.readTree(get("/api/v1/health").body()).get("freeSlots").asInt(), "every slot is free again");
        // Bad fields are refused at submission, before a job exists.
        ApiServerTest.assertError(post("/api/v1/jobs/generate", generateForm(1).field("bogus", "1"), TOKEN), 400, "bogus", "unknown field");
        ApiServerTest.assertError(post("/api/v1/jobs/dance", generateForm(1), TOKEN), 404, null, "no job operation", "generate");
    }

    @Test
    void jobSnapshotsAreConsistentUnderConcurrentPolling() throws Exception {
        // Jobs run, finish and get cancelled while four clients poll them; every answer is one state's snapshot.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<byte[]> r = post("/api/v1/jobs/generate", generateForm(2), TOKEN);
            if (r.statusCode() == 202) {
                JsonNode j = JSON.readTree(r.body());
                assertEquals(List.of(), snapshotProblems(j), j.toString());
                ids.add(j.get("id").asText());
            } else {
                assertEquals(503, r.statusCode(), "a full server says so");
            }
        }
        assertFalse(ids.isEmpty());
        send(request("/api/v1/jobs/" + ids.get(ids.size() - 1), TOKEN).DELETE().build());
        java.util.concurrent.ConcurrentLinkedQueue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger snapshots = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pollers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pollers.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    boolean open = true;
                    while (open && System.nanoTime() < deadline) {
                        open = false;
                        for (String id : ids) {
                            JsonNode j = JSON.readTree(get("/api/v1/jobs/" + id).body());
                            snapshots.incrementAndGet();
                            for (String p : snapshotProblems(j)) problems.add(p + ": " + j);
                            String state = j.get("state").asText();
                            open |= state.equals("queued") || state.equals("running");
                        }
                    }
                    return null;
                }));
            }
            for (var f : done) f.get(90, TimeUnit.SECONDS);
        } finally {
            pollers.shutdownNow();
        }
        assertEquals(List.of(), new ArrayList<>(problems), "inconsistent snapshots of " + snapshots.get());
        assertTrue(snapshots.get() >= 4 * ids.size(), "polled: " + snapshots.get());
    }

    /** What does not fit the job's state in one snapshot (JSON of GET /jobs/{id}). */
    static List<String> snapshotProblems(JsonNode j) {
        List<String> out = new ArrayList<>();
        String state = j.get("state").asText();
        boolean ended = !state.equals("queued") && !state.equals("running");
        if (ended != j.has("finished")) out.add(state + " with finished " + j.has("finished"));
        if (ended != j.has("expires")) out.add(state + " with expires " + j.has("expires"));
        if (state.equals("failed") != j.has("error")) out.add(state + " with error " + j.has("error"));
        if (state.equals("done") != j.has("result")) out.add(state + " with result " + j.has("result"));
        JsonNode p = j.get("progress");
        if (p.get("framesDone").asLong() > p.get("framesTotal").asLong() && p.get("framesTotal").asLong() > 0) out.add("done > total");
        if (state.equals("done") && p.get("fraction").asDouble() != 1.0) out.add("done below 1");
        if (state.equals("queued") && p.get("framesDone").asLong() != 0) out.add("queued with frames done");
        return out;
    }

    @Test
    void cancellingAJobStopsItAndRemovesItsFiles() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch reached = new CountDownLatch(1);
        server.jobs().onProgress = j -> {
            reached.countDown();
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            String id = JSON.readTree(post("/api/v1/jobs/generate", generateForm(4), TOKEN).body()).get("id").asText();
            assertTrue(reached.await(30, TimeUnit.SECONDS));
            Path dir = server.tempRoot().resolve("job-" + id);
            assertTrue(Files.isDirectory(dir));
            HttpResponse<byte[]> del = send(request("/api/v1/jobs/" + id, TOKEN).DELETE().build());
            assertEquals(200, del.statusCode());
            assertEquals("cancelled", JSON.readTree(del.body()).get("state").asText());
            hold.countDown();
            // The job shows "cancelled" (until it expires), with its uploads gone and no result.
            JsonNode cancelled = poll(id, j -> j.get("state").asText().equals("cancelled"));
            assertTrue(cancelled.has("finished") && !cancelled.has("result") && !cancelled.has("error"), cancelled.toString());
            try (var left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), "a cancelled job's files are removed");
            }
            ApiServerTest.assertError(get("/api/v1/jobs/" + id + "/result"), 409, null, "cancelled");
            // Deleting it now removes it.
            assertEquals(200, send(request("/api/v1/jobs/" + id, TOKEN).DELETE().build()).statusCode());
            ApiServerTest.assertError(get("/api/v1/jobs/" + id), 404, null, "no job");
            assertFalse(Files.exists(dir), "a deleted job's folder is removed");
            // Its slot is free again: the server takes new work.
            assertEquals(200, post("/api/v1/generate", generateForm(1), TOKEN).statusCode());
        } finally {
            server.jobs().onProgress = j -> {};
            hold.countDown();
        }
    }

    @Test
    void cancellingAQueuedJobFreesItsSlot() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch reached = new CountDownLatch(1);
        server.jobs().onProgress = j -> {
            reached.countDown();
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            String running = JSON.readTree(post("/api/v1/jobs/generate", generateForm(2), TOKEN).body()).get("id").asText();
            assertTrue(reached.await(30, TimeUnit.SECONDS));
            // One worker: the second job waits in the queue.
            String queued = JSON.readTree(post("/api/v1/jobs/generate", generateForm(1), TOKEN).body()).get("id").asText();
            assertEquals("queued", JSON.readTree(get("/api/v1/jobs/" + queued).body()).get("state").asText());
            assertEquals(200, send(request("/api/v1/jobs/" + queued, TOKEN).DELETE().build()).statusCode());
            server.jobs().onProgress = j -> {};
            hold.countDown();
            poll(running, j -> j.get("state").asText().equals("done"));
            JsonNode cancelled = poll(queued, j -> j.get("state").asText().equals("cancelled"));
            assertEquals(0, cancelled.get("progress").get("framesDone").asLong(), "a queued job is cancelled without computing");
            assertEquals(3, JSON.readTree(get("/api/v1/health").body()).get("freeSlots").asInt(), "every slot is free again");
            send(request("/api/v1/jobs/" + running, TOKEN).DELETE().build());
        } finally {
            server.jobs().onProgress = j -> {};
            hold.countDown();
        }
    }

    @Test
    void finishedJobsExpireWithTheirFiles() throws Exception {
        String id = JSON.readTree(post("/api/v1/jobs/generate", generateForm(1), TOKEN).body()).get("id").asText();
        poll(id, j -> j.get("state").asText().equals("done"));
        Path dir = server.tempRoot().resolve("job-" + id);
        assertTrue(Files.exists(dir.resolve("result")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("result")), s.toList(), "only the result is kept, not the uploads");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Files.exists(dir) && System.nanoTime() < deadline) Thread.sleep(50);
        assertFalse(Files.exists(dir), "expired after the 1.5 s TTL");
        ApiServerTest.assertError(get("/api/v1/jobs/" + id + "/result"), 404, null, "expired");
    }

    @Test
    void metricsNeedTheTokenParseAsPrometheusTextAndCountARequest() throws Exception {
        assertEquals(401, send(request("/metrics", null).GET().build()).statusCode());
        assertEquals(404, get("/api/v1/jobs/no-such-job").statusCode());
        assertEquals(200, get("/api/v1/health").statusCode());
        HttpResponse<byte[]> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), "content type");
        String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        // The text format: comments, or one sample per line: name{labels} value.
        java.util.regex.Pattern sample = java.util.regex.Pattern.compile(
                "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? [-+0-9.eENaInf]+( [0-9]+)?");
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            assertTrue(sample.matcher(line).matches(), "not a Prometheus sample line: " + line);
        }
        // Requests by route template (the job's id is not a label) and status, with latency buckets.
        assertTrue(text.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                && l.contains("route=\"/api/v1/jobs/{id}\"") && l.contains("status=\"404\"")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_bucket{")
                && l.contains("route=\"/api/v1/health\"") && l.contains("status=\"200\"")), "latency histogram");
        assertFalse(text.contains("no-such-job"), "raw paths are not labels");
        for (String m : List.of("dualmtgan_jobs{state=\"done\"}", "dualmtgan_slots_free", "dualmtgan_model_load_seconds{",
                "jvm_memory_used_bytes{", "process_resident_memory_bytes")) {
            assertTrue(text.contains(m), "metrics name " + m);
        }
    }

    @Test
    void theOpenApiDescriptionMatchesTheRoutesServed() throws Exception {
        JsonNode doc = JSON.readTree(send(request("/openapi.json", null).GET().build()).body());
        assertEquals("3.0.3", doc.get("openapi").asText());
        Set<String> described = new HashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> described.add(m.toUpperCase() + " " + p.getKey())));
        Set<String> served = new HashSet<>(server.registeredRoutes());
        Set<String> table = new HashSet<>(server.tableRoutes());
        // Every described route is served; every served route is described, but the page's files.
        for (String d : described) assertTrue(served.contains(d), "described but not served: " + d);
        for (String t : table) {
            if (!t.startsWith("GET /api") && !t.startsWith("POST /api") && !t.startsWith("DELETE /api") && !t.equals("GET /openapi.json")) continue;
            assertTrue(described.contains(t), "served but not described: " + t);
        }
        // Routes beyond the table are only the 405 answers to other methods on the same paths.
        for (String s : served) {
            if (table.contains(s)) continue;
            String path = s.substring(s.indexOf(' ') + 1);
            assertTrue(table.stream().anyMatch(t -> t.endsWith(" " + path)), "a route outside the table: " + s);
        }
        JsonNode transfer = doc.get("paths").get("/api/v1/transfer").get("post");
        JsonNode props = transfer.get("requestBody").get("content").get("multipart/form-data").get("schema").get("properties");
        for (String f : List.of("image", "driving", "imageDemo", "model", "format", "maxFrames")) assertTrue(props.has(f), f);
        assertEquals("binary", props.get("image").get("format").asText());
        assertTrue(doc.get("paths").get("/api/v1/jobs/{id}").has("delete"));
        assertTrue(transfer.get("responses").has("401"), "the token's 401 is described when the server has one");

        // Request fields are typed with this server's limits (numbers as numbers).
        JsonNode gen = doc.get("paths").get("/api/v1/generate").get("post").get("requestBody").get("content")
                .get("multipart/form-data").get("schema").get("properties");
        assertEquals("integer", gen.get("n").get("type").asText());
        assertEquals(1, gen.get("n").get("minimum").asInt());
        assertEquals(8, gen.get("n").get("maximum").asInt(), "maxSamples of the test server");
        assertEquals("int64", gen.get("seed").get("format").asText());
        assertEquals(64, gen.get("frames").get("maximum").asInt(), "maxFrames of the test server");
        assertEquals("boolean", gen.get("sheet").get("type").asText());
        assertTrue(gen.get("format").get("enum").toString().contains("\"json\""));
        assertEquals("boolean", props.get("absolute").get("type").asText());

        // Real answers match the schemas the description gives for their route and status.
        checkAnswer(doc, "get", "/healthz", send(request("/healthz", null).GET().build()));
        checkAnswer(doc, "get", "/readyz", send(request("/readyz", null).GET().build()));
        checkAnswer(doc, "get", "/api/v1", get("/api/v1"));
        checkAnswer(doc, "get", "/api/v1/health", get("/api/v1/health"));
        checkAnswer(doc, "get", "/api/v1/models", get("/api/v1/models"));
        checkAnswer(doc, "get", "/api/v1/demos", get("/api/v1/demos"));
        checkAnswer(doc, "get", "/api/v1/jobs/{id}", get("/api/v1/jobs/no-such-job"));
        checkAnswer(doc, "get", "/api/v1/health", send(request("/api/v1/health", "wrong-token-000").GET().build()));
        checkAnswer(doc, "post", "/api/v1/generate", post("/api/v1/generate", generateForm(2).field("format", "json")
                .field("media", "gif,mp4").field("sheet", "true"), TOKEN));
        checkAnswer(doc, "post", "/api/v1/generate", post("/api/v1/generate", generateForm(99), TOKEN));
        checkAnswer(doc, "post", "/api/v1/interpolate", post("/api/v1/interpolate", new Multi().file("image", "square.png", ApiServerTest.imagePng)
                .field("motionADemo", "moving.gif").field("motionBDemo", "moving.gif").field("steps", "2").field("format", "json"), TOKEN));
        HttpResponse<byte[]> accepted = post("/api/v1/jobs/generate", generateForm(1).field("format", "json"), TOKEN);
        checkAnswer(doc, "post", "/api/v1/jobs/generate", accepted);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        HttpResponse<byte[]> job;
        long until = System.currentTimeMillis() + 60_000;
        do {
            Thread.sleep(50);
            job = get("/api/v1/jobs/" + id);
        } while (!JSON.readTree(job.body()).get("state").asText().equals("done") && System.currentTimeMillis() < until);
        checkAnswer(doc, "get", "/api/v1/jobs/{id}", job);
        checkAnswer(doc, "get", "/api/v1/jobs", get("/api/v1/jobs"));
        checkAnswer(doc, "get", "/api/v1/jobs/{id}/result", get("/api/v1/jobs/" + id + "/result"));
        checkAnswer(doc, "delete", "/api/v1/jobs/{id}", send(request("/api/v1/jobs/" + id, TOKEN).DELETE().build()));
        // The checker itself rejects what does not match.
        JsonNode health = doc.get("components").get("schemas").get("Health");
        assertFalse(Schemas.problems(JSON.readTree("{\"status\":\"ok\"}"), health, doc).isEmpty(), "missing fields");
        assertFalse(Schemas.problems(((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(get("/api/v1/health").body()))
                .put("workers", "1"), health, doc).isEmpty(), "a number as a string");
        assertFalse(Schemas.problems(((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(get("/api/v1/health").body()))
                .put("extra", 1), health, doc).isEmpty(), "an undocumented field");
    }

    /** Asserts that {@code answer}'s status is described for the route and its JSON body matches that status's schema. */
    static void checkAnswer(JsonNode doc, String method, String path, HttpResponse<byte[]> answer) throws Exception {
        JsonNode responses = doc.get("paths").get(path).get(method).get("responses");
        String status = Integer.toString(answer.statusCode());
        assertTrue(responses.has(status), method + " " + path + " answered " + status + ", which is not described: " + responses.fieldNames());
        JsonNode content = responses.get(status).get("content");
        assertNotNull(content, method + " " + path + " " + status + " has no content described");
        String type = answer.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        assertTrue(content.has(type), method + " " + path + " " + status + " answered " + type + ", described: " + content);
        if (!type.equals("application/json")) return;
        List<String> problems = Schemas.problems(JSON.readTree(answer.body()), content.get(type).get("schema"), doc);
        assertEquals(List.of(), problems, method + " " + path + " " + status);
    }

    /**
     * The subset of OpenAPI 3.0 schema checks the description uses: $ref, type, nullable, required,
     * properties (no undocumented ones unless additionalProperties), items, enum, minimum, maximum.
     */
    static final class Schemas {
        static List<String> problems(JsonNode value, JsonNode schema, JsonNode doc) {
            List<String> out = new ArrayList<>();
            check(value, schema, doc, "$", out);
            return out;
        }

        private static void check(JsonNode v, JsonNode s, JsonNode doc, String at, List<String> out) {
            if (s.has("$ref")) {
                String name = s.get("$ref").asText().substring("#/components/schemas/".length());
                check(v, doc.get("components").get("schemas").get(name), doc, at, out);
                return;
            }
            if (v.isNull()) {
                if (!s.path("nullable").asBoolean(false)) out.add(at + " is null");
                return;
            }
            String type = s.path("type").asText("");
            boolean ok = switch (type) {
                case "object" -> v.isObject();
                case "array" -> v.isArray();
                case "string" -> v.isTextual();
                case "integer" -> v.isIntegralNumber();
                case "number" -> v.isNumber();
                case "boolean" -> v.isBoolean();
                default -> true;
            };
            if (!ok) {
                out.add(at + " is " + v.getNodeType() + ", not " + type);
                return;
            }
            if (s.has("enum")) {
                boolean found = false;
                for (JsonNode e : s.get("enum")) found |= e.equals(v);
                if (!found) out.add(at + " = " + v + " is not one of " + s.get("enum"));
            }
            if (s.has("minimum") && v.isNumber() && v.asDouble() < s.get("minimum").asDouble()) out.add(at + " below its minimum");
            if (s.has("maximum") && v.isNumber() && v.asDouble() > s.get("maximum").asDouble()) out.add(at + " above its maximum");
            if (v.isArray() && s.has("items")) {
                for (int i = 0; i < v.size(); i++) check(v.get(i), s.get("items"), doc, at + "[" + i + "]", out);
            }
            if (v.isObject()) {
                for (JsonNode r : s.path("required")) if (!v.has(r.asText())) out.add(at + " lacks " + r.asText());
                JsonNode props = s.path("properties");
                JsonNode extra = s.get("additionalProperties");
                v.fields().forEachRemaining(e -> {
                    if (props.has(e.getKey())) check(e.getValue(), props.get(e.getKey()), doc, at + "." + e.getKey(), out);
                    else if (extra != null && extra.isObject()) check(e.getValue(), extra, doc, at + "." + e.getKey(), out);
                    else if (extra == null || !extra.asBoolean(false)) out.add(at + "." + e.getKey() + " is not described");
                });
            }
        }
    }
}
