package org.dualmtgan.serve;

import org.dualmtgan.InvalidInputException;

import java.nio.file.Path;

/**
 * Settings of the HTTP server. The defaults suit one machine serving itself: loopback only, one
 * inference at a time (one inference already uses every core), a short queue, 32 MiB uploads.
 */
public final class ServeConfig {
    /** Interface to listen on; 127.0.0.1 keeps the server private to this machine. */
    public String host = "127.0.0.1";
    /** TCP port; 0 picks a free one ({@link ApiServer#port()} tells which). */
    public int port = 8080;
    /** Largest request body (all uploads together), in bytes. */
    public long maxUploadBytes = 32L << 20;
    /** Requests that run inference at the same time. */
    public int workers = 1;
    /** Requests that may wait for a worker; beyond workers + queue the server answers 503. */
    public int queue = 4;
    /** Most frames a driving or input video may have, and most frames a generated video may ask for. */
    public int maxFrames = 512;
    /** Most videos one request may produce (generate's n, interpolate's steps). */
    public int maxSamples = 32;
    /** Folder of demo inputs offered by the web page, or null for none. */
    public Path demoDir;
    /** Whether the demo inputs shipped with the project are offered too. */
    public boolean shippedDemos = true;
    /** Parent of the per-request temporary folders (null: the system's temporary folder). */
    public Path tempDir;

    /** Bearer token every API call must carry, or null for none (then only loopback may be bound). */
    public String token;
    /**
     * Several clients, each with its own bearer token (client name to token), besides or instead of
     * {@link #token}: a job belongs to the client whose token submitted it and only that client lists,
     * reads or cancels it. Read from a file by {@link #readTokens}.
     */
    public java.util.Map<String, String> clientTokens = new java.util.LinkedHashMap<>();
    /** Jobs kept at most (ended ones beyond it are removed oldest first, before their time is up). */
    public int maxJobs = 256;
    /** Bytes of job results kept at most (ended jobs beyond it are removed oldest first). */
    public long maxResultBytes = 1L << 30;
    /** Origins allowed to call the API from a browser page elsewhere (CORS); empty: none. */
    public java.util.List<String> corsOrigins = new java.util.ArrayList<>();
    /** How long a job and its result are kept after it ends, in milliseconds. */
    public long jobTtlMillis = 15 * 60 * 1000L;
    /**
     * A connection that sends nothing for this long is closed (headers, body and keep-alive alike), in
     * milliseconds: a client that stalls cannot keep a thread or a slot.
     */
    public long idleTimeoutMillis = 30_000L;
    /**
     * The slowest a request body may arrive, in bytes per second on average since the request began
     * (0: no limit): below it the request is answered 408 and its slot freed. The default lets a 32 MB
     * upload take 9 hours but stops a client that drips a byte every few seconds at once.
     */
    public long minUploadBytesPerSecond = 1024;

    /** Throws {@link InvalidInputException} naming the first bad setting. */
    public void validate() {
        if (host == null || host.isBlank()) throw new InvalidInputException("--host must not be empty");
        if (token != null && (token.isBlank() || token.length() < 8 || token.chars().anyMatch(c -> c <= ' ' || c > '~'))) {
            throw new InvalidInputException("the token must be at least 8 printable ASCII characters without spaces");
        }
        for (var e : clientTokens.entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9._-]{1,64}")) {
                throw new InvalidInputException("client name '" + e.getKey() + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            String t = e.getValue();
            if (t == null || t.length() < 8 || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new InvalidInputException("the token of client '" + e.getKey() + "' must be at least 8 printable ASCII characters without spaces");
            }
            if (t.equals(token) || clientTokens.values().stream().filter(t::equals).count() > 1) {
                throw new InvalidInputException("client '" + e.getKey() + "' shares its token with another client: each needs its own");
            }
        }
        if (token != null && clientTokens.containsKey("default")) {
            throw new InvalidInputException("client name 'default' is the --token's own; name the client otherwise");
        }
        if (maxJobs < 1) throw new InvalidInputException("--max-jobs must be at least 1, got " + maxJobs);
        if (maxResultBytes < 1) throw new InvalidInputException("--max-results-mb must be at least 1");
        if (!tokenRequired() && !loopback(host)) {
            throw new InvalidInputException("--host " + host + " is not a loopback address: without a token (--token or "
                    + "DUALMTGAN_TOKEN) the server listens on 127.0.0.1 or ::1 only");
        }
        for (String o : corsOrigins) {
            if (!o.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
                throw new InvalidInputException("--cors '" + o + "' is not an origin (scheme://host[:port], e.g. https://example.org)");
            }
        }
        if (jobTtlMillis < 100 || jobTtlMillis > 7L * 24 * 3600 * 1000) {
            throw new InvalidInputException("--job-ttl must be between 0.1 s and 7 days, got " + jobTtlMillis / 1000.0 + " s");
        }
        if (idleTimeoutMillis < 1000 || idleTimeoutMillis > 3_600_000L) {
            throw new InvalidInputException("--idle-timeout must be between 1 and 3600 s, got " + idleTimeoutMillis / 1000.0 + " s");
        }
        if (minUploadBytesPerSecond < 0) {
            throw new InvalidInputException("--min-upload-rate must be at least 0 bytes/s, got " + minUploadBytesPerSecond);
        }
        if (port < 0 || port > 65535) throw new InvalidInputException("--port must be between 0 and 65535, got " + port);
        if (maxUploadBytes < 1) throw new InvalidInputException("--max-upload-mb must be at least 1");
        if (workers < 1 || workers > 64) throw new InvalidInputException("--workers must be between 1 and 64, got " + workers);
        if (queue < 0 || queue > 1024) throw new InvalidInputException("--queue must be between 0 and 1024, got " + queue);
        if (maxFrames < 1 || maxFrames > org.dualmtgan.animate.Animator.MAX_COUNT) {
            throw new InvalidInputException("--max-frames must be between 1 and " + org.dualmtgan.animate.Animator.MAX_COUNT + ", got " + maxFrames);
        }
        if (maxSamples < 2 || maxSamples > org.dualmtgan.animate.Animator.MAX_COUNT) {
            throw new InvalidInputException("max samples must be between 2 and " + org.dualmtgan.animate.Animator.MAX_COUNT + ", got " + maxSamples);
        }
    }

    /** Whether every API call needs a bearer token ({@link #token} or a client's). */
    public boolean tokenRequired() {
        return token != null || !clientTokens.isEmpty();
    }

    /**
     * Client tokens from a file: one client per line, {@code NAME TOKEN} separated by spaces; blank
     * lines and lines starting with {@code #} are skipped.
     */
    public static java.util.Map<String, String> readTokens(Path file) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        java.util.List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InvalidInputException(file, "the tokens file is not UTF-8 text");
        } catch (java.io.IOException e) {
            throw new InvalidInputException(file, "cannot read the tokens file: " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            if (f.length != 2) throw new InvalidInputException(file, "line " + (i + 1) + ": expected 'NAME TOKEN', got " + f.length + " fields");
            if (out.put(f[0], f[1]) != null) throw new InvalidInputException(file, "line " + (i + 1) + ": client '" + f[0] + "' is named twice");
        }
        if (out.isEmpty()) throw new InvalidInputException(file, "the tokens file names no client ('NAME TOKEN' lines)");
        return out;
    }

    /** Whether {@code host} names only this machine (a loopback address or "localhost"). */
    static boolean loopback(String host) {
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
            return true;
        } catch (java.net.UnknownHostException e) {
            throw new InvalidInputException("--host " + host + ": unknown host");
        }
    }
}
