package org.dualmtgan.serve;

import org.dualmtgan.bench.ProcessMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A bounded load: 200 transfer requests, 16 at a time, against one worker and a queue of 2. Every
 * answer is 200 (a valid GIF of the driving length) or 503 with Retry-After; the process's memory
 * after the run is within 256 MiB of before. Prints requests/s, p50/p95 latency and peak RSS.
 */
class LoadTest {
    static final int REQUESTS = 200;
    static final int CONCURRENCY = 16;
    static final long MEMORY_BOUND = 256L << 20;
    static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        ApiServerTest.start();
        server = ApiServer.start(ApiServerTest.config(2), ApiServerTest.models, null);
    }

    @AfterAll
    static void stop() {
        server.close();
        ApiServerTest.stop();
    }

    record Answer(int status, String retryAfter, byte[] body, double seconds) {}

    static Answer one() throws Exception {
        ApiServerTest.Multi m = ApiServerTest.transferForm();
        HttpRequest r = HttpRequest.newBuilder(server.uri().resolve("/api/v1/transfer"))
                .header("Content-Type", "multipart/form-data; boundary=" + m.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(m.body())).build();
        long t0 = System.nanoTime();
        HttpResponse<byte[]> res = ApiServerTest.CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(res.statusCode(), res.headers().firstValue("Retry-After").orElse(null), res.body(),
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void twoHundredRequestsSixteenAtATimeGetAnAnswerOrA503AndMemoryStaysBounded() throws Exception {
        for (int i = 0; i < 5; i++) assertEquals(200, one().status()); // warm-up: engine, codecs, JIT
        System.gc();
        long before = ProcessMemory.rssBytes();
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<Answer>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) futures.add(clients.submit(LoadTest::one));
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> f : futures) answers.add(f.get(5, TimeUnit.MINUTES));
        double wall = (System.nanoTime() - t0) / 1e9;
        clients.shutdown();
        int ok = 0;
        int busy = 0;
        List<Double> okLatency = new ArrayList<>();
        for (Answer a : answers) {
            if (a.status() == 200) {
                ok++;
                okLatency.add(a.seconds());
                assertEquals(ApiServerTest.T, ApiServerTest.decode(a.body(), "gif").frames(), "a valid video");
            } else {
                assertEquals(503, a.status(), new String(a.body()));
                assertEquals("5", a.retryAfter(), "503 says when to retry");
                busy++;
            }
        }
        System.gc();
        long after = ProcessMemory.rssBytes();
        Collections.sort(okLatency);
        System.out.printf(Locale.ROOT, "load: %d requests, %d at a time: %d x 200, %d x 503 in %.2f s (%.1f requests/s,"
                        + " %.1f results/s); 200 latency p50 %.0f ms, p95 %.0f ms; RSS %.0f -> %.0f MiB, peak %.0f MiB%n",
                REQUESTS, CONCURRENCY, ok, busy, wall, REQUESTS / wall, ok / wall,
                1000 * okLatency.get(okLatency.size() / 2), 1000 * okLatency.get((int) (okLatency.size() * 0.95)),
                ProcessMemory.mib(before), ProcessMemory.mib(after), ProcessMemory.mib(ProcessMemory.peakRssBytes()));
        assertTrue(ok >= 3, "some requests were served: " + ok);
        assertEquals(REQUESTS, ok + busy);
        assertTrue(after - before < MEMORY_BOUND, "RSS grew by " + ProcessMemory.mib(after - before) + " MiB");
        assertEquals(200, one().status(), "the server serves after the load");
    }
}
