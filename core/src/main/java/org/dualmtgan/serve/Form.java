package org.dualmtgan.serve;

import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of one request: query string fields, then the body's (multipart/form-data or
 * application/x-www-form-urlencoded); uploaded files saved in the request's folder. Typed getters
 * answer 400 naming the field when a value is malformed or out of range.
 */
final class Form {
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<String, Upload> uploads = new LinkedHashMap<>();

    /** The request attribute through which Jetty's servlet layer takes a multipart configuration. */
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    /** Most parts of a multipart body. */
    static final int MAX_PARTS = 32;
    /** Longest text field, and longest form-urlencoded body, in bytes. */
    static final int MAX_TEXT = 64 * 1024;

    /**
     * Reads the query and the body of {@code ctx} (multipart parsed by Jetty through Javalin; each
     * uploaded file copied into {@code dir} under a safe name). A body over {@code limit} bytes is
     * refused with 413: from its Content-Length before reading when it has one, else by the
     * multipart parser's size limit as it streams.
     */
    static Form read(Context ctx, Path dir, long limit) throws IOException {
        Form form = new Form();
        form.addAll(ctx.queryParamMap());
        String lengthHeader = ctx.header("Content-Length");
        long length = -1;
        if (lengthHeader != null) {
            try {
                length = Long.parseLong(lengthHeader.trim());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest(null, "bad Content-Length '" + lengthHeader + "'");
            }
        }
        if (length > limit) {
            drain(ctx, length - limit <= DRAIN_SLACK ? length : 0);
            throw tooLarge(length, limit);
        }
        boolean chunked = "chunked".equalsIgnoreCase(String.valueOf(ctx.header("Transfer-Encoding")).trim());
        if (length <= 0 && !chunked) return form;
        String type = ctx.header("Content-Type");
        String mime = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        switch (mime) {
            case "multipart/form-data" -> form.readMultipart(ctx, dir, limit);
            case "application/x-www-form-urlencoded" -> {
                if (length > MAX_TEXT) throw HttpError.badRequest(null, "form body longer than " + MAX_TEXT + " bytes");
                form.addAll(ctx.formParamMap());
            }
            default -> throw new HttpError(415, "unsupported Content-Type '" + (type == null ? "" : type)
                    + "': send multipart/form-data (files) or application/x-www-form-urlencoded");
        }
        return form;
    }

    private void readMultipart(Context ctx, Path dir, long limit) throws IOException {
        Collection<Part> parts;
        // Jetty's parser spools parts over 64 KiB into the request's own folder, removed with it.
        Path spool = Files.createDirectories(dir.resolve(".parts"));
        ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(spool.toString(), limit, limit, 64 * 1024));
        try {
            parts = ctx.req().getParts();
        } catch (ServletException | IOException | RuntimeException e) {
            HttpError refused = multipartFailure(e, limit);
            if (refused.status() == 413) drain(ctx, DRAIN_SLACK);
            throw refused;
        }
        if (parts.size() > MAX_PARTS) throw HttpError.badRequest(null, "too many parts in the form (at most " + MAX_PARTS + ")");
        int index = 0;
        for (Part p : parts) {
            index++;
            String name = p.getName();
            if (name == null || name.isEmpty()) throw HttpError.badRequest(null, "malformed multipart/form-data body: a part has no field name");
            String fileName = p.getSubmittedFileName();
            if (fileName == null) {
                if (p.getSize() > MAX_TEXT) throw HttpError.badRequest(name, "field '" + name + "' is longer than " + MAX_TEXT + " bytes");
                try (InputStream in = p.getInputStream()) {
                    addField(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                continue;
            }
            String shown = Uploads.displayName(fileName);
            // A file input left empty in a browser form sends a part with no name and no bytes: no upload.
            if (p.getSize() == 0 && shown.isEmpty()) continue;
            String partType = p.getContentType();
            Path file = dir.resolve(Uploads.storedName(index, shown, partType));
            try (InputStream in = p.getInputStream()) {
                Files.copy(in, file);
            }
            addUpload(new Upload(name, shown.isEmpty() ? "upload" : shown, file, Files.size(file), partType));
        }
    }

    /**
     * Bytes of a refused body read and dropped before the 413 goes out: a client that sends its
     * whole body without {@code Expect: 100-continue} (Java's HttpClient, curl for small files) is
     * still writing when the server closes the connection, and then sees a broken pipe instead of
     * the answer (ApiServerTest.oversizeUploadsAre413: 2 of 24 runs without this, 0 of 40 with it).
     * Up to this much over the limit the body is consumed; beyond it the connection closes unread.
     */
    static final long DRAIN_SLACK = 16L << 20;

    /** Reads and drops up to {@code max} bytes of the request body; an early end or a failing read stops it. */
    private static void drain(Context ctx, long max) {
        if (max <= 0) return;
        try {
            ctx.req().getInputStream().skipNBytes(max);
        } catch (IOException | RuntimeException e) {
            // The body ended first, or the client went away: nothing more to drop.
        }
    }

    /** What a failure of Jetty's multipart parser means for the client: 413 over the limit, else 400. */
    private static HttpError multipartFailure(Exception e, long limit) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            // Jetty's minimum data rate or idle timeout cut the body off (ServeConfig.minUploadBytesPerSecond).
            if (c instanceof java.util.concurrent.TimeoutException || m.contains("data rate") || m.contains("idle timeout")) {
                return new HttpError(408, "the request body arrived too slowly (" + c.getMessage() + "); send it again");
            }
            if (m.contains("max") && (m.contains("size") || m.contains("length")) || m.contains("too large") || m.contains("exceed")) {
                return tooLarge(-1, limit);
            }
        }
        return HttpError.badRequest(null, "malformed multipart/form-data body: " + e.getMessage());
    }

    static HttpError tooLarge(long length, long limit) {
        return new HttpError(413, "request body of " + (length >= 0 ? length + " bytes" : "this size")
                + " is over the upload limit of " + describe(limit));
    }

    static String describe(long bytes) {
        if (bytes % (1L << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes % 1024 == 0) return (bytes >> 10) + " KiB";
        return bytes + " bytes";
    }

    /** Fields decoded by Javalin (query string or form-urlencoded body); a name given twice is refused. */
    private void addAll(Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String v : e.getValue()) addField(e.getKey(), v);
        }
    }

    void addField(String name, String value) {
        requireNew(name);
        fields.put(name, value);
    }

    void addUpload(Upload u) {
        requireNew(u.field());
        uploads.put(u.field(), u);
    }

    private void requireNew(String name) {
        if (fields.containsKey(name) || uploads.containsKey(name)) {
            throw HttpError.badRequest(name, "field '" + name + "' is given twice");
        }
    }

    /** Refuses fields the endpoint does not take (a misspelt option should not be ignored silently). */
    void allowOnly(String endpoint, Set<String> allowed) {
        for (String n : names()) {
            if (!allowed.contains(n)) {
                throw HttpError.badRequest(n, "unknown field '" + n + "': " + endpoint + " takes " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    Set<String> names() {
        Set<String> all = new TreeSet<>(fields.keySet());
        all.addAll(uploads.keySet());
        return all;
    }

    Upload upload(String name) {
        return uploads.get(name);
    }

    /** A text field's value, or {@code def} when absent or blank; a file sent for it is refused. */
    String text(String name, String def) {
        if (uploads.containsKey(name)) throw HttpError.badRequest(name, "field '" + name + "' must be text, not a file");
        String v = fields.get(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    int integer(String name, int def, int min, int max) {
        String v = text(name, null);
        if (v == null) return def;
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name, name + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) throw HttpError.badRequest(name, name + " must be between " + min + " and " + max + ", got " + n);
        return n;
    }

    /** An optional whole number: null when absent. */
    Integer optionalInteger(String name, int min, int max) {
        return text(name, null) == null ? null : integer(name, 0, min, max);
    }

    long longValue(String name, long def) {
        String v = text(name, null);
        if (v == null) return def;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name, name + " must be a whole number (64 bit), got '" + v + "'");
        }
    }

    boolean bool(String name, boolean def) {
        String v = text(name, null);
        if (v == null) return def;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw HttpError.badRequest(name, name + " must be true or false, got '" + v + "'");
        };
    }
}
