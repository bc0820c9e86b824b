package org.dualmtgan.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578): file parts go straight to files in the
 * request's folder, text parts to strings. Nothing is held in memory beyond one buffer, so the
 * upload limit (enforced by the caller's counting stream) bounds the disk use.
 */
final class Multipart {
    /** Most parts in one request. */
    static final int MAX_PARTS = 32;
    /** Longest text field value. */
    static final int MAX_TEXT = 64 * 1024;
    /** Longest header block of one part. */
    static final int MAX_HEADER = 16 * 1024;
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int end;
    private boolean eof;

    private Multipart(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first delimiter has no CRLF before it: start the buffer with one so one search finds all.
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** The boundary parameter of a multipart Content-Type, or null. */
    static String boundary(String contentType) {
        for (String p : contentType.split(";")) {
            String t = p.trim();
            int eq = t.indexOf('=');
            if (eq > 0 && t.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String b = unquote(t.substring(eq + 1).trim());
                return b.isEmpty() || b.length() > 200 ? null : b;
            }
        }
        return null;
    }

    /**
     * Reads every part into {@code form}: text fields as strings, files saved into {@code dir}.
     */
    static void read(InputStream in, String boundary, Path dir, Form form) throws IOException {
        new Multipart(in, boundary).readAll(dir, form);
    }

    private void readAll(Path dir, Form form) throws IOException {
        // Everything before the first delimiter is preamble.
        skipToDelimiter();
        int parts = 0;
        while (true) {
            int a = next();
            int b = next();
            if (a == '-' && b == '-') return;  // the closing delimiter; the epilogue is ignored
            if (a != '\r' || b != '\n') throw malformed("a boundary is not followed by a line break");
            if (++parts > MAX_PARTS) throw HttpError.badRequest(null, "too many parts in the form (at most " + MAX_PARTS + ")");
            Map<String, String> headers = readHeaders();
            String disposition = headers.get("content-disposition");
            if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
                throw malformed("a part has no Content-Disposition: form-data header");
            }
            Map<String, String> params = dispositionParams(disposition);
            String name = params.get("name");
            if (name == null || name.isEmpty()) throw malformed("a part has no field name");
            String fileName = params.containsKey("filename*") ? params.get("filename*") : params.get("filename");
            if (fileName == null) {
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                copyPart(new BoundedOutput(text, MAX_TEXT, name));
                form.addField(name, text.toString(StandardCharsets.UTF_8));
            } else {
                String type = headers.get("content-type");
                String shown = Uploads.displayName(fileName);
                Path file = dir.resolve(Uploads.storedName(parts, shown, type));
                long size;
                try (OutputStream out = Files.newOutputStream(file)) {
                    CountingOutput counted = new CountingOutput(out);
                    copyPart(counted);
                    size = counted.count;
                }
                // A file input left empty in a browser form sends a part with no name and no bytes: no upload.
                if (size == 0 && shown.isEmpty()) {
                    Files.deleteIfExists(file);
                    continue;
                }
                form.addUpload(new Upload(name, shown.isEmpty() ? "upload" : shown, file, size, type));
            }
        }
    }

    private static HttpError malformed(String why) {
        return HttpError.badRequest(null, "malformed multipart/form-data body: " + why);
    }

    // ---- Scanning. ----

    /** Makes at least {@code n} bytes available after pos unless the stream ends. */
    private void fill(int n) throws IOException {
        if (end - pos >= n || eof) return;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        while (end - pos < n) {
            int r = in.read(buf, end, buf.length - end);
            if (r < 0) {
                eof = true;
                return;
            }
            end += r;
        }
    }

    private int next() throws IOException {
        fill(1);
        if (pos >= end) throw malformed("the body ends early");
        return buf[pos++] & 0xff;
    }

    private void skipToDelimiter() throws IOException {
        copyPart(OutputStream.nullOutputStream());
    }

    /** Copies bytes up to the next delimiter to {@code out} and consumes the delimiter. */
    private void copyPart(OutputStream out) throws IOException {
        int d = delimiter.length;
        while (true) {
            fill(Math.max(d, buf.length / 2));
            int found = indexOf(pos, end);
            if (found >= 0) {
                out.write(buf, pos, found - pos);
                pos = found + d;
                return;
            }
            if (eof) throw malformed("the body ends inside a part (no closing boundary)");
            // Keep the last d - 1 bytes: a delimiter may start there.
            int safe = end - (d - 1);
            if (safe > pos) {
                out.write(buf, pos, safe - pos);
                pos = safe;
            }
        }
    }

    private int indexOf(int from, int to) {
        byte first = delimiter[0];
        int last = to - delimiter.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (buf[i] != first) continue;
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = next();
            if (++total > MAX_HEADER) throw malformed("a part's headers are longer than " + MAX_HEADER + " bytes");
            if (c == '\r') {
                if (next() != '\n') throw malformed("a header line ends without a line feed");
                if (line.length() == 0) return headers;
                String h = line.toString();
                int colon = h.indexOf(':');
                if (colon > 0) headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                line.setLength(0);
            } else {
                // Header bytes are UTF-8 in browsers' forms (file names); decode as such below.
                line.append((char) c);
            }
        }
    }

    /** Parameters of a Content-Disposition value (name, filename, filename* in RFC 5987 form). */
    static Map<String, String> dispositionParams(String value) {
        String utf8 = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        Map<String, String> out = new LinkedHashMap<>();
        int i = utf8.indexOf(';');
        while (i >= 0 && i < utf8.length()) {
            int eq = utf8.indexOf('=', i + 1);
            if (eq < 0) break;
            String key = utf8.substring(i + 1, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < utf8.length() && utf8.charAt(j) == ' ') j++;
            String val;
            if (j < utf8.length() && utf8.charAt(j) == '"') {
                StringBuilder sb = new StringBuilder();
                int k = j + 1;
                for (; k < utf8.length(); k++) {
                    char ch = utf8.charAt(k);
                    if (ch == '\\' && k + 1 < utf8.length()) {
                        sb.append(utf8.charAt(++k));
                    } else if (ch == '"') {
                        break;
                    } else {
                        sb.append(ch);
                    }
                }
                val = sb.toString();
                i = utf8.indexOf(';', k);
            } else {
                int semi = utf8.indexOf(';', j);
                val = (semi < 0 ? utf8.substring(j) : utf8.substring(j, semi)).trim();
                i = semi;
            }
            if (key.equals("filename*")) {
                int q = val.indexOf("''");
                if (q >= 0) {
                    try {
                        val = java.net.URLDecoder.decode(val.substring(q + 2).replace("+", "%2B"), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                }
            }
            out.put(key, val);
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static final class CountingOutput extends OutputStream {
        private final OutputStream out;
        long count;

        CountingOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static final class BoundedOutput extends OutputStream {
        private final ByteArrayOutputStream out;
        private final int max;
        private final String field;

        BoundedOutput(ByteArrayOutputStream out, int max, String field) {
            this.out = out;
            this.max = max;
            this.field = field;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (out.size() + len > max) {
                throw HttpError.badRequest(field, "field '" + field + "' is longer than " + max + " bytes; send files as file parts");
            }
            out.write(b, off, len);
        }
    }
}
