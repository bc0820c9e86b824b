package org.dualmtgan.serve;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.util.AtomicFiles;
import org.dualmtgan.util.ProjectInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API (under {@code /api/v1}) and the web page (at {@code /}) on the JDK's HTTP server.
 *
 * <p><b>Concurrency.</b> A synthesis request first takes one of {@code workers + queue} slots, or
 * is answered 503 at once, before its upload is read. Its upload is read on an HTTP thread; the
 * decoding, inference and encoding run on one of {@code workers} threads. The HTTP pool has a
 * thread per slot and a few more, so health checks and the page stay responsive while every slot
 * is busy. Each {@code Animator} serializes its own engine work.
 *
 * <p><b>Temporary files.</b> Each synthesis request gets a folder under the server's temporary
 * folder for its uploads and encoded outputs, deleted when the response is sent (or fails); the
 * server's folder is deleted when it stops.
 *
 * <p><b>Errors</b> are JSON {@code {"error": "...", "field": "..."}}: 400 bad input (naming the
 * uploaded file or the field), 404 unknown route, model or demo input, 405 wrong method, 413 body
 * over the upload limit, 415 unknown format or Content-Type, 503 all slots busy, 500 internal
 * errors only.
 */
public final class ApiServer implements AutoCloseable {
    /** The API's path prefix. */
    public static final String API = "/api/v1";
    private static final String RESOURCES = "/org/dualmtgan/serve/";
    /** Static files of the web page: path, resource, content type. */
    private static final String[][] PAGE = {
            {"/", "index.html", "text/html; charset=utf-8"},
            {"/index.html", "index.html", "text/html; charset=utf-8"},
            {"/app.js", "app.js", "text/javascript; charset=utf-8"},
            {"/style.css", "style.css", "text/css; charset=utf-8"},
    };
    /** Lets the page load only its own script, style and the results it creates. */
    private static final String CSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' data: blob:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ServeConfig cfg;
    private final ModelRegistry models;
    private final DemoInputs demos;
    private final Operations ops;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final Path tempRoot;
    private final Map<String, byte[]> page = new LinkedHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final PrintStream log;
    /** Runs on the worker before each synthesis (tests hold a worker busy with it). */
    volatile Runnable beforeWork = () -> {};

    private ApiServer(ServeConfig cfg, ModelRegistry models, PrintStream log) throws IOException {
        cfg.validate();
        this.cfg = cfg;
        this.models = models;
        this.log = log;
        this.demos = new DemoInputs(cfg.demoDir, cfg.shippedDemos);
        this.ops = new Operations(models, demos, cfg);
        for (String[] p : PAGE) page.put(p[1], resource(p[1]));
        this.slots = new Semaphore(cfg.workers + cfg.queue);
        this.tempRoot = cfg.tempDir == null ? Files.createTempDirectory("dualmtgan-serve-")
                : Files.createTempDirectory(Files.createDirectories(cfg.tempDir), "dualmtgan-serve-");
        this.workers = Executors.newFixedThreadPool(cfg.workers, threads("dualmtgan-worker-"));
        this.httpThreads = Executors.newFixedThreadPool(cfg.workers + cfg.queue + 4, threads("dualmtgan-http-"));
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(cfg.host, cfg.port), 64);
        } catch (IOException e) {
            shutdownPools();
            AtomicFiles.deleteRecursively(tempRoot);
            throw new InvalidInputException("cannot listen on " + cfg.host + ":" + cfg.port + ": " + e.getMessage());
        }
        this.http = s;
        http.createContext("/", this::handle);
        http.setExecutor(httpThreads);
    }

    /** Starts serving {@code models} (owned by the caller, who closes them after {@link #close}). */
    public static ApiServer start(ServeConfig cfg, ModelRegistry models, PrintStream log) throws IOException {
        ApiServer s = new ApiServer(cfg, models, log);
        s.http.start();
        return s;
    }

    /** The port listened on (the chosen one when the config asked for 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = cfg.host.contains(":") ? "[" + cfg.host + "]" : cfg.host;
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The parent of the per-request temporary folders. */
    Path tempRoot() {
        return tempRoot;
    }

    /** Stops accepting, lets running requests finish for up to two seconds, deletes the temporary folder. */
    @Override
    public void close() {
        http.stop(0);
        shutdownPools();
        AtomicFiles.deleteRecursively(tempRoot);
    }

    private void shutdownPools() {
        workers.shutdown();
        httpThreads.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) workers.shutdownNow();
            if (!httpThreads.awaitTermination(2, TimeUnit.SECONDS)) httpThreads.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- Routing. ----

    private interface Operation {
        Outputs.Body run(Form form, Path dir) throws IOException;
    }

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        int status = 500;
        try {
            status = route(ex);
        } catch (HttpError e) {
            status = e.status();
            sendError(ex, e.status(), e.getMessage(), e.field());
        } catch (InvalidInputException e) {
            status = 400;
            sendError(ex, 400, e.getMessage(), null);
        } catch (IOException e) {
            // The client went away or sent a broken body: nothing useful can be answered.
            status = 400;
            sendError(ex, 400, "cannot read the request: " + e.getMessage(), null);
        } catch (RuntimeException | Error e) {
            status = 500;
            if (log != null) e.printStackTrace(log);
            sendError(ex, 500, "internal error: " + e, null);
        } finally {
            ex.close();
            if (log != null) {
                log.printf(Locale.ROOT, "%s %s %d %.2f s%n", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), status,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** Dispatches on method and path; returns the status sent. */
    private int route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getRawPath();
        for (String[] p : PAGE) {
            if (p[0].equals(path)) {
                requireMethod(ex, method, "GET");
                Headers h = ex.getResponseHeaders();
                h.set("Content-Security-Policy", CSP);
                h.set("Cache-Control", "no-cache");
                return send(ex, 200, p[2], page.get(p[1]));
            }
        }
        switch (path) {
            case API, API + "/" -> {
                requireMethod(ex, method, "GET");
                return sendJson(ex, 200, index());
            }
            case API + "/health" -> {
                requireMethod(ex, method, "GET");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", "ok");
                m.put("version", ProjectInfo.version());
                m.put("models", models.names());
                m.put("workers", cfg.workers);
                m.put("running", running.get());
                m.put("freeSlots", slots.availablePermits());
                return sendJson(ex, 200, m);
            }
            case API + "/models" -> {
                requireMethod(ex, method, "GET");
                return sendJson(ex, 200, Map.of("models", models.cards()));
            }
            case API + "/demos" -> {
                requireMethod(ex, method, "GET");
                return sendJson(ex, 200, Map.of("demos", demos.list()));
            }
            case API + "/transfer" -> {
                return synthesize(ex, method, ops::transfer);
            }
            case API + "/generate" -> {
                return synthesize(ex, method, ops::generate);
            }
            case API + "/reconstruct" -> {
                return synthesize(ex, method, ops::reconstruct);
            }
            case API + "/interpolate" -> {
                return synthesize(ex, method, ops::interpolate);
            }
            default -> {
                String demoPrefix = API + "/demos/";
                if (path.startsWith(demoPrefix)) {
                    requireMethod(ex, method, "GET");
                    String name = path.substring(demoPrefix.length());
                    byte[] bytes = demos.bytes(name);
                    if (bytes == null) throw new HttpError(404, "no demo input '" + name + "' (GET " + API + "/demos lists them)");
                    ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
                    return send(ex, 200, DemoInputs.type(name), bytes);
                }
                throw new HttpError(404, "no such route: " + method + " " + path + " (GET " + API + " lists the endpoints)");
            }
        }
    }

    private static Map<String, Object> index() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoints", List.of(
                "GET " + API + "/health", "GET " + API + "/models", "GET " + API + "/demos", "GET " + API + "/demos/NAME",
                "POST " + API + "/transfer", "POST " + API + "/generate", "POST " + API + "/reconstruct",
                "POST " + API + "/interpolate"));
        m.put("docs", "docs/serve.md");
        return m;
    }

    /** A known path with the wrong method: 405 with the Allow header. */
    private static void requireMethod(HttpExchange ex, String method, String allowed) {
        if (method.equals(allowed)) return;
        ex.getResponseHeaders().set("Allow", allowed);
        throw new HttpError(405, method + " " + ex.getRequestURI().getRawPath() + " is not allowed; use " + allowed);
    }

    /** A synthesis request: a slot or 503, the form into a fresh folder, the work on a worker, the folder removed. */
    private int synthesize(HttpExchange ex, String method, Operation op) throws IOException {
        requireMethod(ex, method, "POST");
        if (!slots.tryAcquire()) {
            ex.getResponseHeaders().set("Retry-After", "5");
            throw new HttpError(503, "the server is busy (" + (cfg.workers + cfg.queue) + " requests running or waiting); retry later");
        }
        Path dir = null;
        Outputs.Body body;
        long elapsedMs;
        try {
            dir = Files.createTempDirectory(tempRoot, "request-");
            Form form = Form.read(ex, dir, cfg.maxUploadBytes);
            Path requestDir = dir;
            long t0 = System.nanoTime();
            Future<Outputs.Body> f = null;
            try {
                f = workers.submit(() -> {
                    running.incrementAndGet();
                    try {
                        beforeWork.run();
                        return op.run(form, requestDir);
                    } finally {
                        running.decrementAndGet();
                    }
                });
                body = f.get();
            } catch (InterruptedException e) {
                if (f != null) f.cancel(true);
                Thread.currentThread().interrupt();
                throw new HttpError(503, "the server is stopping");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) throw r;
                if (c instanceof IOException io) throw new IllegalStateException("writing the result failed: " + io.getMessage(), io);
                if (c instanceof Error err) throw err;
                throw new IllegalStateException(c);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                throw new HttpError(503, "the server is stopping");
            }
            elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        } finally {
            // The slot is free once the work is done, before the reply is sent: a client that has its
            // answer can at once be served again.
            if (dir != null) AtomicFiles.deleteRecursively(dir);
            slots.release();
        }
        Headers h = ex.getResponseHeaders();
        h.set("X-Elapsed-Ms", Long.toString(elapsedMs));
        h.set("Cache-Control", "no-store");
        if (body.fileName() != null) h.set("Content-Disposition", "inline; filename=\"" + body.fileName() + "\"");
        return send(ex, 200, body.contentType(), body.bytes());
    }

    // ---- Responses. ----

    private int sendJson(HttpExchange ex, int status, Object doc) throws IOException {
        return send(ex, status, "application/json", Outputs.JSON.writeValueAsBytes(doc));
    }

    private static int send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    /**
     * Sends an error. The request body may be partly unread (a refusal before or while reading
     * it): closing the connection with bytes pending would reset it and the client would lose the
     * answer, so the rest is read and discarded first, up to {@value #DRAIN_BYTES} bytes.
     */
    private void sendError(HttpExchange ex, int status, String message, String field) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", message);
        doc.put("field", field);
        try {
            byte[] body = Outputs.JSON.writeValueAsBytes(doc);
            Headers h = ex.getResponseHeaders();
            h.set("Content-Type", "application/json");
            h.set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(status, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body);
            out.flush();
            drain(ex);
            out.close();
        } catch (IOException | RuntimeException e) {
            // Headers already sent or the client is gone: the exchange is closed by the caller.
        }
    }

    /** Most bytes of an unread request body discarded so that an error reaches the client. */
    static final long DRAIN_BYTES = 64L << 20;

    private static void drain(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            // A body announced larger than the drain limit is not read at all; the connection closes.
            if (length != null && Long.parseLong(length.trim()) > DRAIN_BYTES) return;
        } catch (NumberFormatException e) {
            return;
        }
        InputStream in = ex.getRequestBody();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; total <= DRAIN_BYTES && (n = in.read(buf)) >= 0; ) total += n;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ApiServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IOException("resource " + RESOURCES + name + " is missing from the class path");
            return in.readAllBytes();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
