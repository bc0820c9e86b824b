package org.dualmtgan.serve;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    /**
     * Reads the query and the body of {@code ex}. A body over {@code limit} bytes is refused with
     * 413, from its Content-Length before reading when it has one, else as soon as the count passes.
     */
    static Form read(HttpExchange ex, Path dir, long limit) throws IOException {
        Form form = new Form();
        form.addQuery(ex.getRequestURI().getRawQuery());
        String lengthHeader = ex.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (lengthHeader != null) {
            try {
                length = Long.parseLong(lengthHeader.trim());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest(null, "bad Content-Length '" + lengthHeader + "'");
            }
        }
        if (length > limit) throw tooLarge(length, limit);
        boolean chunked = "chunked".equalsIgnoreCase(String.valueOf(ex.getRequestHeaders().getFirst("Transfer-Encoding")).trim());
        if (length <= 0 && !chunked) return form;
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String mime = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        InputStream body = new LimitedInput(ex.getRequestBody(), limit);
        switch (mime) {
            case "multipart/form-data" -> {
                String boundary = Multipart.boundary(type);
                if (boundary == null) throw HttpError.badRequest(null, "multipart/form-data without a boundary");
                Multipart.read(body, boundary, dir, form);
            }
            case "application/x-www-form-urlencoded" -> {
                byte[] text = body.readNBytes(Multipart.MAX_TEXT + 1);
                if (text.length > Multipart.MAX_TEXT) throw HttpError.badRequest(null, "form body longer than " + Multipart.MAX_TEXT + " bytes");
                form.addQuery(new String(text, StandardCharsets.US_ASCII));
            }
            default -> throw new HttpError(415, "unsupported Content-Type '" + (type == null ? "" : type)
                    + "': send multipart/form-data (files) or application/x-www-form-urlencoded");
        }
        return form;
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

    private void addQuery(String raw) {
        if (raw == null || raw.isEmpty()) return;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            addField(k, v);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(null, "malformed URL encoding in '" + s + "'");
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

    /** Counts request bytes and refuses the request (413) once they pass the limit. */
    private static final class LimitedInput extends InputStream {
        private final InputStream in;
        private final long limit;
        private long count;

        LimitedInput(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) add(n);
            return n;
        }

        private void add(int n) {
            count += n;
            if (count > limit) throw tooLarge(-1, limit);
        }
    }
}
