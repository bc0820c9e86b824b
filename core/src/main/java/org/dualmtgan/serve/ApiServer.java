package org.dualmtgan.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.util.AtomicFiles;
import org.dualmtgan.util.ProjectInfo;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API (under {@code /api/v1}), its OpenAPI description ({@code /openapi.json}) and the web
 * page (at {@code /}), on Javalin (Jetty underneath: HTTP, multipart parsing, CORS).
 *
 * <p><b>Routes</b> come from one table ({@link #routes}), which the router registers and
 * {@link OpenApi} describes. A known path asked with another method is 405 with {@code Allow}.
 *
 * <p><b>Authentication.</b> With a token ({@code --token} or {@code DUALMTGAN_TOKEN}), every API
 * call needs {@code Authorization: Bearer TOKEN} (else 401); the page and {@code /openapi.json}
 * stay public (they hold no data). Without a token the server binds only to loopback
 * ({@link ServeConfig#validate}). CORS only for the origins given with {@code --cors}.
 *
 * <p><b>Concurrency.</b> A synthesis request or a job first takes one of {@code workers + queue}
 * slots, or is answered 503 at once, before its upload is read. Its upload is read on an HTTP
 * thread; the decoding, inference and encoding run on one of {@code workers} threads. A job keeps
 * its slot until it ends. Each {@code Animator} serializes its own engine work.
 *
 * <p><b>Temporary files.</b> Each synthesis request gets a folder under the server's temporary
 * folder for its uploads and encoded outputs, deleted when the work is done; a job's folder keeps
 * its result until the job expires or is deleted; the server's folder is deleted when it stops.
 *
 * <p><b>Errors</b> are JSON {@code {"error": "...", "field": "..."}}: 400 bad input (naming the
 * uploaded file or the field), 401 no or wrong token, 404 unknown route, model, demo input or
 * job, 405 wrong method, 409 a job's result before it is done, 413 body over the upload limit, 415
 * unknown format or Content-Type, 503 all slots busy, 500 internal errors only.
 */
public final class ApiServer implements AutoCloseable {
    /** The API's path prefix. */
    public static final String API = "/api/v1";
    static final String JOBS = API + "/jobs";
    /** Prometheus scrapes (the token when the server has one). */
    static final String METRICS = "/metrics";
    private static final String RESOURCES = "/org/dualmtgan/serve/";
    /** Lets the page load only its own script, style and the results it creates. */
    private static final String CSP = "default-src 'self'; connect-src 'self' blob:; img-src 'self' data: blob:; media-src 'self' data: blob:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * One route: method, Javalin path, OpenAPI operation id and summary, whether it is under the
     * API (and needs the token), whether it is described, the synthesis operation it runs (or
     * null), the success status and its description, the error statuses, and the handler.
     */
    /** Jetty's own errors (before any route) as the API's JSON error object. */
    static final class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                        int code, String message, Throwable cause, org.eclipse.jetty.util.Callback callback) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("error", "bad request: " + (message == null || message.isBlank() ? "HTTP " + code : message));
            doc.put("field", null);
            byte[] body;
            try {
                body = Outputs.JSON.writeValueAsBytes(doc);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                body = ("{\"error\":\"HTTP " + code + "\",\"field\":null}").getBytes(StandardCharsets.UTF_8);
            }
            response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
            // Jetty drops a connection it refused a request on: say so, or a pooling client sends its
            // next request on it and reads nothing.
            response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONNECTION, "close");
            response.write(true, java.nio.ByteBuffer.wrap(body), callback);
        }
    }

    /** The request id header: taken from the request when it is a sane token, else made here; on every answer. */
    static final String REQUEST_ID = "X-Request-Id";
    private static final java.util.regex.Pattern SANE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** The access log ({@link #accessLine}), through SLF4J. */
    private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("dualmtgan.access");

    /** The request attribute holding the matched route template, for the access log. */
    private static final String ROUTE = "dualmtgan.route";

    /**
     * The access log line: key=value fields (time, id, method, route template, path, status,
     * duration, body bytes sent), one line per request, for a log shipper to parse.
     */
    private static String accessLine(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response) {
        Object route = request.getAttribute(ROUTE);
        String id = response.getHeaders().get(REQUEST_ID);
        double ms = (System.nanoTime() - request.getBeginNanoTime()) / 1e6;
        return String.format(Locale.ROOT, "time=%s id=%s method=%s route=%s path=%s status=%d ms=%.1f bytes=%d",
                Instant.now(), id == null ? "-" : id, request.getMethod(), route == null ? "unmatched" : route,
                pathForLog(request.getHttpURI().getPath()), response.getStatus(), ms,
                org.eclipse.jetty.server.Response.getContentBytesWritten(response));
    }

    /** The request path with spaces and control characters escaped, so the line stays one line of fields. */
    private static String pathForLog(String path) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            if (c <= ' ' || c == 0x7f) b.append(String.format(Locale.ROOT, "%%%02X", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    static String requestId(String given) {
        return given != null && SANE_ID.matcher(given).matches() ? given : java.util.UUID.randomUUID().toString();
    }

    record Route(String method, String path, String id, String summary, boolean api, boolean documented, String operation,
                 String success, String successDescription, List<String> errors, io.javalin.http.Handler handler) {}

    private final ServeConfig cfg;
    private final ModelRegistry models;
    private final DemoInputs demos;
    private final Operations ops;
    private final Javalin app;
    private final ExecutorService workers;
    private final ScheduledExecutorService sweeper;
    private final Semaphore slots;
    private final Path tempRoot;
    private final Jobs jobs;
    private final ServerMetrics metrics;
    private final List<Route> routes;
    private final Map<String, byte[]> page = new LinkedHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final PrintStream log;
    /** Client name to bearer token bytes; empty: no token needed. */
    private final Map<String, byte[]> clients = new LinkedHashMap<>();
    /** The request attribute naming the client that sent it (the owner of the jobs it submits). */
    static final String CLIENT = "dualmtgan.client";
    /** The client of a server without tokens, and of the single --token. */
    static final String DEFAULT_CLIENT = "default";
    /** Runs on the worker before each synthesis (tests hold a worker busy with it). */
    volatile Runnable beforeWork = () -> {};

    private ApiServer(ServeConfig cfg, ModelRegistry models, PrintStream log) throws IOException {
        cfg.validate();
        this.cfg = cfg;
        this.models = models;
        this.log = log;
        if (cfg.token != null) clients.put(DEFAULT_CLIENT, cfg.token.getBytes(StandardCharsets.UTF_8));
        cfg.clientTokens.forEach((name, t) -> clients.put(name, t.getBytes(StandardCharsets.UTF_8)));
        this.demos = new DemoInputs(cfg.demoDir, cfg.shippedDemos);
        this.ops = new Operations(models, demos, cfg);
        for (String p : List.of("index.html", "app.js", "style.css")) page.put(p, resource(p));
        this.slots = new Semaphore(cfg.workers + cfg.queue);
        this.tempRoot = cfg.tempDir == null ? Files.createTempDirectory("dualmtgan-serve-")
                : Files.createTempDirectory(Files.createDirectories(cfg.tempDir), "dualmtgan-serve-");
        this.jobs = new Jobs(Duration.ofMillis(cfg.jobTtlMillis), cfg.maxJobs, cfg.maxResultBytes);
        this.workers = Executors.newFixedThreadPool(cfg.workers, threads("dualmtgan-worker-"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(threads("dualmtgan-jobs-"));
        long every = Math.max(100, Math.min(cfg.jobTtlMillis / 4, 30_000));
        sweeper.scheduleWithFixedDelay(() -> jobs.expire(Instant.now()), every, every, TimeUnit.MILLISECONDS);
        // A thread per slot (uploads are read on HTTP threads) plus some, so health checks, job
        // polls and the page answer while every slot is busy; Jetty keeps a few for itself.
        QueuedThreadPool pool = new QueuedThreadPool(cfg.workers + cfg.queue + 16, 2);
        pool.setName("dualmtgan-http");
        pool.setDaemon(true);
        this.metrics = new ServerMetrics(models, jobs, slots, running, cfg.workers, pool);
        this.routes = table();
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.jetty.host = cfg.host;
            c.jetty.port = cfg.port;
            c.jetty.threadPool = pool;
            // Our own connector (Javalin then adds none) to set its idle timeout: a stalled client's
            // connection is closed, whether it stalls in its headers, its body or between requests.
            c.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(cfg.host);
                connector.setPort(cfg.port);
                connector.setIdleTimeout(cfg.idleTimeoutMillis);
                return connector;
            });
            // A body that trickles in (a byte every few seconds keeps the idle timeout at bay) is cut
            // off by its average rate: Jetty answers 408 and the request's slot is freed.
            if (cfg.minUploadBytesPerSecond > 0) {
                c.jetty.modifyServletContextHandler(h -> h.insertHandler(new MinimumDataRateHandler(cfg.minUploadBytesPerSecond, 0)));
            }
            // Requests Jetty refuses before routing (an encoded NUL or a bad escape in the path) get
            // the documented JSON error too, not Jetty's HTML page.
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            // Jetty's request log runs once the answer is sent, so it knows the bytes; it also sees
            // requests Jetty refuses before the router (a bad URI, a stalled upload).
            c.jetty.modifyServer(server -> server.setRequestLog((request, response) -> {
                String line = accessLine(request, response);
                ACCESS.info(line);
                if (log != null) log.println(line);
            }));
            c.http.maxRequestSize = cfg.maxUploadBytes;
            c.router.ignoreTrailingSlashes = true;
            if (!cfg.corsOrigins.isEmpty()) {
                c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    for (String o : cfg.corsOrigins) rule.allowHost(o);
                    rule.exposeHeader("X-Elapsed-Ms");
                    rule.exposeHeader("Content-Disposition");
                    rule.exposeHeader("Location");
                }));
            }
            c.requestLogger.http((ctx, ms) -> {
                String route = routeOf(ctx);
                ctx.attribute(ROUTE, route);
                metrics.request(ctx.method().toString(), route, ctx.statusCode(), ms);
            });
            c.routes.before(ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                String id = requestId(ctx.header(REQUEST_ID));
                ctx.attribute(REQUEST_ID, id);
                ctx.header(REQUEST_ID, id);
                checkHost(ctx);
                authenticate(ctx);
                checkOrigin(ctx);
            });
            Map<String, Set<String>> allowed = new LinkedHashMap<>();
            for (Route r : routes) {
                c.routes.addEndpoint(new Endpoint(HandlerType.findOrCreate(r.method()), r.path(), r.handler()));
                allowed.computeIfAbsent(r.path(), k -> new LinkedHashSet<>()).add(r.method());
            }
            allowed.forEach((path, methods) -> {
                for (String m : METHODS) {
                    if (methods.contains(m)) continue;
                    String allow = String.join(", ", methods);
                    c.routes.addEndpoint(new Endpoint(HandlerType.findOrCreate(m), path, ctx -> {
                        if (path.equals(JOBS + "/{id}") && m.equals("POST")) {
                            throw new HttpError(404, "no job operation '" + ctx.pathParam("id") + "' (POST " + JOBS + "/"
                                    + String.join(", " + JOBS + "/", Operations.NAMES) + ")");
                        }
                        ctx.header("Allow", allow);
                        throw new HttpError(405, ctx.method() + " " + ctx.path() + " is not allowed; use " + allow);
                    }));
                }
            });
            c.routes.exception(HttpError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.field()));
            c.routes.exception(InvalidInputException.class, (e, ctx) -> error(ctx, 400, e.getMessage(), null));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus();
                String message = status == 413 ? Form.tooLarge(-1, cfg.maxUploadBytes).getMessage() : e.getMessage();
                error(ctx, status, message, null);
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                if (log != null) e.printStackTrace(log);
                error(ctx, 500, "internal error: " + e, null);
            });
            c.routes.error(404, ctx -> {
                if (ctx.resultInputStream() == null) {
                    error(ctx, 404, "no such route: " + ctx.method() + " " + ctx.path() + " (GET " + API + " lists the endpoints)", null);
                }
            });
        });
    }

    /** Starts serving {@code models} (owned by the caller, who closes them after {@link #close}). */
    public static ApiServer start(ServeConfig cfg, ModelRegistry models, PrintStream log) throws IOException {
        ApiServer s = new ApiServer(cfg, models, log);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.close();
            throw new InvalidInputException("cannot listen on " + cfg.host + ":" + cfg.port + ": " + rootMessage(e));
        }
        return s;
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return String.valueOf(c.getMessage());
    }

    /** The port listened on (the chosen one when the config asked for 0). */
    public int port() {
        return app.port();
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

    Jobs jobs() {
        return jobs;
    }

    /** The routes the router serves (method and path), as registered: the OpenAPI test compares them with the description. */
    List<String> registeredRoutes() {
        List<String> out = new ArrayList<>();
        for (var e : app.unsafe.internalRouter.allHttpHandlers()) {
            if (e.endpoint.method.isHttpMethod()) out.add(e.endpoint.method + " " + e.endpoint.path);
        }
        return out;
    }

    /** The method and path of every route of the table (what the 405 handlers complete). */
    List<String> tableRoutes() {
        List<String> out = new ArrayList<>();
        for (Route r : routes) out.add(r.method() + " " + r.path());
        return out;
    }

    /** Stops accepting, lets running work finish for up to two seconds, deletes the temporary folder. */
    @Override
    public void close() {
        try {
            app.stop();
        } catch (RuntimeException e) {
            // Not started, or already stopping.
        }
        sweeper.shutdownNow();
        jobs.close();
        metrics.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) workers.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AtomicFiles.deleteRecursively(tempRoot);
    }

    // ---- Routes. ----

    private static final List<String> SYNTH_ERRORS = List.of("400", "404", "413", "415", "503");

    private List<Route> table() {
        List<Route> t = new ArrayList<>();
        for (String p : List.of("/", "/index.html")) {
            t.add(new Route("GET", p, p.equals("/") ? "page" : "pageIndex", "The web page", false, false, null, "200", "HTML",
                    List.of(), ctx -> sendPage(ctx, "index.html", "text/html; charset=utf-8")));
        }
        t.add(new Route("GET", "/app.js", "pageScript", "The page's script", false, false, null, "200", "JavaScript", List.of(),
                ctx -> sendPage(ctx, "app.js", "text/javascript; charset=utf-8")));
        t.add(new Route("GET", "/style.css", "pageStyle", "The page's style", false, false, null, "200", "CSS", List.of(),
                ctx -> sendPage(ctx, "style.css", "text/css; charset=utf-8")));
        t.add(new Route("GET", "/openapi.json", "openapi", "This description", false, true, null, "200", "OpenAPI 3.0 JSON", List.of(),
                ctx -> json(ctx, 200, OpenApi.document(routes, cfg))));
        // Probes for a load balancer or an orchestrator: no token, nothing but a status.
        t.add(new Route("GET", "/healthz", "liveness", "Liveness: the process answers", false, true, null, "200", "JSON", List.of(),
                ctx -> json(ctx, 200, Map.of("status", "ok"))));
        t.add(new Route("GET", "/readyz", "readiness", "Readiness: models loaded and a worker or queue place free (503 otherwise)",
                false, true, null, "200", "JSON", List.of("503"), ctx -> {
                    String why = models.names().isEmpty() ? "no models loaded" : slots.availablePermits() == 0 ? "every worker and queue place is busy" : null;
                    json(ctx, why == null ? 200 : 503, why == null ? Map.of("status", "ready") : Map.of("status", "not ready", "reason", why));
                }));
        t.add(new Route("GET", METRICS, "metrics", "Metrics in the Prometheus text format (the bearer token when the server has one)",
                false, true, null, "200", "Prometheus text format 0.0.4", List.of("401"), ctx -> {
                    ctx.header("Cache-Control", "no-store");
                    ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
                }));
        t.add(new Route("GET", API, "index", "The list of endpoints", true, true, null, "200", "JSON", List.of(),
                ctx -> json(ctx, 200, index())));
        t.add(new Route("GET", API + "/health", "health", "Status, models, workers, running requests and free slots", true, true,
                null, "200", "JSON", List.of(), ctx -> json(ctx, 200, health())));
        t.add(new Route("GET", API + "/models", "models", "The loaded models with their cards", true, true, null, "200", "JSON",
                List.of(), ctx -> json(ctx, 200, Map.of("models", models.cards()))));
        t.add(new Route("GET", API + "/demos", "demos", "The example inputs", true, true, null, "200", "JSON", List.of(),
                ctx -> json(ctx, 200, Map.of("demos", demos.list()))));
        t.add(new Route("GET", API + "/demos/{name}", "demo", "An example input's bytes", true, true, null, "200", "the file",
                List.of("404"), this::sendDemo));
        for (String op : Operations.NAMES) {
            t.add(new Route("POST", API + "/" + op, op, summary(op), true, true, op, "200",
                    "the result: a file, a ZIP of files, a contact sheet or JSON (docs/serve.md, Responses)", SYNTH_ERRORS,
                    ctx -> synthesize(ctx, ops.byName(op))));
            t.add(new Route("POST", JOBS + "/" + op, op + "Job", summary(op) + ", as a job: answers its id at once", true, true, op,
                    "202", "the job (state, progress, URLs)", SYNTH_ERRORS, ctx -> submitJob(ctx, op)));
        }
        t.add(new Route("GET", JOBS, "jobs", "Every job, newest first", true, true, null, "200", "JSON", List.of(),
                ctx -> json(ctx, 200, Map.of("jobs", jobs.all(client(ctx)).stream().map(j -> jobs.describe(j, JOBS)).toList()))));
        t.add(new Route("GET", JOBS + "/{id}", "job", "A job's state and progress (frames done of total)", true, true, null, "200",
                "JSON", List.of("404"), ctx -> json(ctx, 200, jobs.describe(job(ctx), JOBS))));
        t.add(new Route("GET", JOBS + "/{id}/result", "jobResult", "A finished job's result (as the synchronous endpoint answers)",
                true, true, null, "200", "the result", List.of("404", "409"), this::jobResult));
        t.add(new Route("DELETE", JOBS + "/{id}", "cancelJob", "Cancels a job, or deletes a finished one with its files", true, true,
                null, "200", "JSON", List.of("404"), this::cancelJob));
        return t;
    }

    private static String summary(String op) {
        return switch (op) {
            case "transfer" -> "Motion transfer: the image moves as the driving video does";
            case "generate" -> "Stochastic generation: n videos of the image with sampled motion";
            case "reconstruct" -> "A video rebuilt from its first frame and its own motion";
            default -> "Videos blending motion A into motion B";
        };
    }

    private Map<String, Object> index() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> endpoints = new ArrayList<>();
        for (Route r : routes) if (r.api()) endpoints.add(r.method() + " " + r.path());
        m.put("endpoints", endpoints);
        m.put("openapi", "/openapi.json");
        m.put("docs", "docs/serve.md");
        return m;
    }

    private Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("version", ProjectInfo.version());
        m.put("models", models.names());
        m.put("workers", cfg.workers);
        m.put("running", running.get());
        m.put("freeSlots", slots.availablePermits());
        m.put("jobs", jobs.size());
        return m;
    }

    /** The matched route's template (e.g. /api/v1/jobs/{id}), or "unmatched": bounded label values for the metrics. */
    private static String routeOf(Context ctx) {
        try {
            var e = ctx.endpoint();
            return e == null || e.path == null || e.path.equals("*") ? "unmatched" : e.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /**
     * A server without a token trusts whoever reaches it, which is only this machine: a page elsewhere
     * that points a name of its own at 127.0.0.1 (DNS rebinding) sends that name as Host, and is refused.
     */
    private void checkHost(Context ctx) {
        if (cfg.tokenRequired()) return;
        String host = ctx.header("Host");
        if (host == null || !LOOPBACK_HOST.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
            throw new HttpError(403, "Host '" + (host == null ? "" : host) + "' is not a loopback name: a server without a token "
                    + "answers only localhost, 127.0.0.1 or [::1] (start it with --token to serve other names)");
        }
    }

    private static final java.util.regex.Pattern LOOPBACK_HOST =
            java.util.regex.Pattern.compile("(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d{1,5})?");

    /**
     * A cross-site form can POST to a tokenless server (a browser attaches no token, but none is needed):
     * a POST whose Origin is neither this server's nor one given with --cors, or that the browser marks
     * cross-site, is refused. Clients that are not browsers send neither header.
     */
    private void checkOrigin(Context ctx) {
        if (cfg.tokenRequired() || !"POST".equals(ctx.method().toString())) return;
        String origin = ctx.header("Origin");
        String site = ctx.header("Sec-Fetch-Site");
        boolean allowed = origin != null && cfg.corsOrigins.contains(origin);
        boolean sameOrigin = origin == null || origin.equalsIgnoreCase("http://" + ctx.header("Host")) || allowed;
        boolean crossSite = site != null && !site.equals("same-origin") && !site.equals("none") && !allowed;
        if (!sameOrigin || crossSite) {
            throw new HttpError(403, "a request from another site (Origin " + (origin == null ? "none" : "'" + origin + "'")
                    + (site == null ? "" : ", Sec-Fetch-Site " + site) + ") may not use a server without a token; "
                    + "allow its origin with --cors, or start the server with --token");
        }
    }

    /**
     * 401 for an API call or a metrics scrape without a bearer token the server knows (when it has
     * any); the request's client is the token's owner. Every token is compared, each in constant time.
     */
    private void authenticate(Context ctx) {
        ctx.attribute(CLIENT, DEFAULT_CLIENT);
        boolean guarded = ctx.path().startsWith(API) || ctx.path().equals(METRICS);
        if (clients.isEmpty() || !guarded || "OPTIONS".equals(ctx.method().toString())) return;
        String h = ctx.header("Authorization");
        String prefix = "Bearer ";
        String client = null;
        if (h != null && h.regionMatches(true, 0, prefix, 0, prefix.length())) {
            byte[] sent = h.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
            for (var e : clients.entrySet()) {
                if (MessageDigest.isEqual(sent, e.getValue()) && client == null) client = e.getKey();
            }
        }
        if (client == null) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dualmtgan\"");
            throw new HttpError(401, h == null ? "this server needs a token: send Authorization: Bearer TOKEN"
                    : "the bearer token is wrong");
        }
        ctx.attribute(CLIENT, client);
    }

    private static String client(Context ctx) {
        String c = ctx.attribute(CLIENT);
        return c == null ? DEFAULT_CLIENT : c;
    }

    private void sendPage(Context ctx, String name, String type) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Cache-Control", "no-cache");
        ctx.status(200).contentType(type).result(page.get(name));
    }

    private void sendDemo(Context ctx) throws IOException {
        String name = ctx.pathParam("name");
        byte[] bytes = demos.bytes(name);
        if (bytes == null) throw new HttpError(404, "no demo input '" + name + "' (GET " + API + "/demos lists them)");
        ctx.header("Cache-Control", "max-age=3600");
        ctx.status(200).contentType(DemoInputs.type(name)).result(bytes);
    }

    // ---- Synthesis. ----

    /** Takes a slot or answers 503 with Retry-After (before the upload is read). */
    private void acquire(Context ctx) {
        if (!slots.tryAcquire()) {
            ctx.header("Retry-After", "5");
            throw new HttpError(503, "the server is busy (" + (cfg.workers + cfg.queue) + " requests running or waiting); retry later");
        }
    }

    /** {@code work} on a worker: counted in {@code running} (health) from its start, after the test hook. */
    private Operations.Work counted(Operations.Work work) {
        return () -> {
            running.incrementAndGet();
            try {
                beforeWork.run();
                return work.compute();
            } finally {
                running.decrementAndGet();
            }
        };
    }

    /** A synthesis request: a slot or 503, the form into a fresh folder, the work on a worker, the folder removed. */
    private void synthesize(Context ctx, Operations.Operation op) throws IOException {
        acquire(ctx);
        Path dir = null;
        Outputs.Body body;
        long elapsedMs;
        try {
            dir = Files.createTempDirectory(tempRoot, "request-");
            Form form = Form.read(ctx, dir, cfg.maxUploadBytes);
            Path requestDir = dir;
            long t0 = System.nanoTime();
            java.util.concurrent.atomic.AtomicBoolean left = watchDisconnect(ctx);
            Future<Outputs.Body> f = null;
            try {
                // The work stops at its next frame once the client has gone (a job keeps going: its
                // client comes back for the result).
                f = workers.submit(() -> Animator.withProgress((done, total) -> {
                    if (left.get()) throw new java.util.concurrent.CancellationException("the client closed the connection");
                }, () -> {
                    try {
                        return counted(op.prepare(form, requestDir)).compute();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
                body = f.get();
            } catch (InterruptedException e) {
                if (f != null) f.cancel(true);
                Thread.currentThread().interrupt();
                throw new HttpError(503, "the server is stopping");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof java.util.concurrent.CancellationException && left.get()) {
                    metrics.abandoned();
                    // 499 as nginx logs it: nobody reads this answer, the access log and metrics do.
                    throw new HttpError(CLIENT_CLOSED, "the client closed the connection before the answer");
                }
                if (c instanceof java.io.UncheckedIOException io) throw new IllegalStateException("writing the result failed: " + io.getCause().getMessage(), io.getCause());
                if (c instanceof RuntimeException r) throw r;
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
        ctx.header("X-Elapsed-Ms", Long.toString(elapsedMs));
        sendBody(ctx, body.contentType(), body.bytes(), body.fileName());
    }

    /** The status logged for a request whose client left before its answer (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    /**
     * A flag that turns true when the client of {@code ctx} closes its connection, watched once the
     * request's body has been read. Jetty does not read an HTTP/1.1 connection while a handler runs,
     * so neither its failure listeners nor {@code EndPoint.isOpen()} see a client that left (measured
     * on Jetty 12.1: a client closed 0.5 s into a 3 s handler left both unchanged); here the
     * endpoint's fill interest wakes on the FIN and a one-byte fill reads the end of stream. The
     * answer then closes the connection, so the interest never outlives the request (a kept-alive
     * connection with it pending lost its next answer). A byte read instead of the end of stream
     * would be a request pipelined after a POST, which RFC 9112 (9.3.2) tells clients not to send.
     */
    private static java.util.concurrent.atomic.AtomicBoolean watchDisconnect(Context ctx) {
        java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();
        org.eclipse.jetty.io.EndPoint ep;
        try {
            ep = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData().getConnection().getEndPoint();
        } catch (RuntimeException e) {
            return left; // not served by Jetty's servlet layer (no endpoint to watch)
        }
        ctx.header("Connection", "close");
        ep.tryFillInterested(org.eclipse.jetty.util.Callback.from(() -> {
            try {
                if (ep.fill(org.eclipse.jetty.util.BufferUtil.allocate(1)) < 0) left.set(true);
            } catch (IOException e) {
                left.set(true);
            }
        }, failure -> left.set(true)));
        return left;
    }

    private static void sendBody(Context ctx, String type, byte[] bytes, String fileName) {
        ctx.header("Cache-Control", "no-store");
        if (fileName != null) ctx.header("Content-Disposition", "inline; filename=\"" + fileName + "\"");
        ctx.status(200).contentType(type).result(bytes);
    }

    // ---- Jobs. ----

    private void submitJob(Context ctx, String operation) throws IOException {
        Operations.Operation op = ops.byName(operation);
        acquire(ctx);
        Path dir = null;
        boolean submitted = false;
        try {
            String id = jobs.newId();
            dir = Files.createDirectory(tempRoot.resolve("job-" + id));
            Form form = Form.read(ctx, dir, cfg.maxUploadBytes);
            Operations.checkFields(operation, form);
            // Inputs are read and checked before the job exists: a bad request gets its 400 here, as
            // the synchronous endpoint answers it, rather than a 202 and a failed job.
            Operations.Work work = counted(op.prepare(form, dir));
            Jobs.Job job = jobs.submit(id, operation, client(ctx), dir, work, workers, slots::release);
            submitted = true;
            ctx.header("Location", JOBS + "/" + id);
            json(ctx, 202, jobs.describe(job, JOBS));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new HttpError(503, "the server is stopping");
        } finally {
            if (!submitted) {
                if (dir != null) AtomicFiles.deleteRecursively(dir);
                slots.release();
            }
        }
    }

    private Jobs.Job job(Context ctx) {
        String id = ctx.pathParam("id");
        Jobs.Job j = jobs.get(id);
        // Another client's job is not there for this one: the same 404 as an unknown id, so ids do not leak.
        if (j == null || !j.owner.equals(client(ctx))) {
            throw new HttpError(404, "no job '" + id + "' (it may have expired: jobs are kept " + cfg.jobTtlMillis / 1000
                    + " s after they end)");
        }
        return j;
    }

    private void jobResult(Context ctx) throws IOException {
        Jobs.Job j = job(ctx);
        switch (j.state) {
            case DONE -> {
                ctx.header("X-Elapsed-Ms", Long.toString(j.elapsedMs));
                sendBody(ctx, j.contentType, Files.readAllBytes(j.result), j.fileName);
            }
            case FAILED -> throw j.error;
            default -> throw new HttpError(409, "job " + j.id + " is " + j.state.name().toLowerCase(Locale.ROOT)
                    + " (" + j.framesDone + " of " + j.framesTotal + " frames): poll GET " + JOBS + "/" + j.id);
        }
    }

    private void cancelJob(Context ctx) {
        Jobs.Job j = job(ctx);
        boolean ended = j.ended();
        Jobs.State s = jobs.cancel(j);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id);
        m.put("state", ended ? "deleted" : s.name().toLowerCase(Locale.ROOT));
        json(ctx, 200, m);
    }

    // ---- Responses. ----

    private static void json(Context ctx, int status, Object doc) {
        byte[] body;
        try {
            body = Outputs.JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ctx.status(status).contentType("application/json").result(body);
    }

    private static void error(Context ctx, int status, String message, String field) {
        // A refused body may be left partly unread, and then the connection cannot carry another
        // request: say so, or a client that pools connections sends its next request on one the
        // server closes and reads no answer (ApiServerTest.oversizeUploadsAre413: 3 runs in 4 without it).
        if (status == 413) ctx.header("Connection", "close");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", message);
        doc.put("field", field);
        doc.put("requestId", ctx.attribute(REQUEST_ID));
        json(ctx, status, doc);
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
