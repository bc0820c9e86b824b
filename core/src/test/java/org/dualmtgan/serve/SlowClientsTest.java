package org.dualmtgan.serve;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.dualmtgan.serve.ApiServerTest.CLIENT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Clients that trickle their upload (a byte every half second, more of them than the server has slots)
 * or stall in their headers cannot keep the server from answering a normal request: the body's minimum
 * data rate frees their slots, the idle timeout closes the stalled connections.
 */
class SlowClientsTest {
    static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        ApiServerTest.start();
        ServeConfig c = ApiServerTest.config(1); // 1 worker + 1 queue place: 2 slots
        c.idleTimeoutMillis = 2_000;
        c.minUploadBytesPerSecond = 1024;
        server = ApiServer.start(c, ApiServerTest.models, null);
    }

    @AfterAll
    static void stop() {
        server.close();
        ApiServerTest.stop();
    }

    /** Opens a transfer upload that announces 100 kB and sends its first bytes. */
    Socket slowUpload() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(20_000);
        OutputStream o = s.getOutputStream();
        o.write(("POST /api/v1/transfer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 100000\r\n\r\n--XYZ\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        o.flush();
        return s;
    }

    static String answer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] b = in.readNBytes(12);
            return new String(b, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "closed: " + e.getMessage();
        }
    }

    @Test
    void tricklingUploadsAndStalledHeadersDoNotBlockANormalRequest() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 4; i++) slow.add(slowUpload());
        Socket stalled = new Socket("127.0.0.1", server.port());
        stalled.getOutputStream().write("POST /api/v1/generate HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
        // Each slow client sends a byte every 500 ms, often enough to keep the idle timeout at bay.
        Thread dripper = new Thread(() -> {
            try {
                for (int k = 0; k < 40; k++) {
                    Thread.sleep(500);
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write('x');
                            s.getOutputStream().flush();
                        } catch (IOException closed) {
                            // The server has given up on this one.
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        dripper.setDaemon(true);
        dripper.start();
        long t0 = System.nanoTime();
        try {
            // A normal request gets its answer within a few seconds (503 while slow clients still hold slots).
            HttpResponse<byte[]> r = null;
            while ((System.nanoTime() - t0) / 1e9 < 15) {
                ApiServerTest.Multi form = ApiServerTest.transferForm();
                r = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/transfer"))
                        .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 503) break;
                Thread.sleep(250);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
            assertTrue(seconds < 15, "answered after " + seconds + " s");
            // The slow uploads that took a slot were answered 408 (or closed), the others 503; none was served.
            int cut = 0;
            for (Socket s : slow) {
                String a = answer(s);
                boolean timedOut = a.startsWith("HTTP/1.1 408") || a.isEmpty() || a.startsWith("closed");
                assertTrue(timedOut || a.startsWith("HTTP/1.1 503"), "a slow upload got: " + a);
                if (timedOut) cut++;
            }
            assertTrue(cut >= 1, "the uploads holding slots were cut off");
            // The connection that stalled in its headers was closed by the idle timeout.
            stalled.setSoTimeout(10_000);
            assertEquals(-1, stalled.getInputStream().read(), "the stalled connection is closed");
        } finally {
            dripper.interrupt();
            for (Socket s : slow) s.close();
            stalled.close();
        }
        HttpResponse<byte[]> health = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/api/v1/health")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(2, ApiServerTest.JSON.readTree(health.body()).get("freeSlots").asInt(), "every slot is free again");
    }
}
