package org.dualmtgan.serve;

import org.dualmtgan.demo.Demo;
import org.dualmtgan.media.MediaReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Example inputs the web page offers next to its upload fields, and that any request may name with
 * {@code FIELDDemo=NAME} (e.g. {@code imageDemo=faces-still.png}) instead of uploading {@code FIELD}:
 * <ul>
 *   <li>the demo inputs shipped with the project ({@link Demo#SCENES}: stills and strip PNGs of
 *       held-out people and faces, from the {@code org/dualmtgan/demo} resources), each with its
 *       caption and the bundled model it suits;</li>
 *   <li>the image and video files of a folder ({@code serve --demo DIR}; default {@code demo/} when
 *       it exists). Only plain files directly in it, named with letters, digits and {@code . _ -}.</li>
 * </ul>
 * A folder's file replaces a shipped input of the same name.
 */
final class DemoInputs {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String RESOURCES = "/org/dualmtgan/demo/";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("bmp", "image/bmp"), Map.entry("gif", "image/gif"), Map.entry("mp4", "video/mp4"),
            Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"), Map.entry("webm", "video/webm"),
            Map.entry("mkv", "video/x-matroska"), Map.entry("m4v", "video/mp4"));

    /** One offered input: a file of the folder, or a shipped resource. */
    private record Entry(String name, String kind, String label, String model, Path file, String resource) {}

    private final Path dir;
    private final boolean shipped;

    /** {@code dir}: a folder of inputs or null; {@code shipped}: whether to offer the project's own. */
    DemoInputs(Path dir, boolean shipped) {
        this.dir = dir;
        this.shipped = shipped;
    }

    private Map<String, Entry> entries() {
        Map<String, Entry> out = new TreeMap<>();
        if (shipped) {
            for (Demo.Scene s : Demo.SCENES) {
                addShipped(out, s.still(), "image", s.stillLabel(), s.model());
                addShipped(out, s.drivingA(), "video", s.labelA(), s.model());
                addShipped(out, s.drivingB(), "video", s.labelB(), s.model());
            }
        }
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (offered(name) && Files.isRegularFile(p)) out.put(name, new Entry(name, kind(p), null, null, p, null));
                }
            } catch (IOException e) {
                // An unreadable folder offers nothing.
            }
        }
        return out;
    }

    private static void addShipped(Map<String, Entry> out, String name, String kind, String label, String model) {
        if (name == null || out.containsKey(name) || Demo.class.getResource(RESOURCES + name) == null) return;
        out.put(name, new Entry(name, kind, label, model, null, RESOURCES + name));
    }

    /** Every demo input, sorted by name: name, kind (image or video), label and model when known, type, URL. */
    List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : entries().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("kind", e.kind());
            if (e.label() != null) m.put("label", e.label());
            if (e.model() != null) m.put("model", e.model());
            m.put("type", type(e.name()));
            m.put("url", "/api/v1/demos/" + e.name());
            out.add(m);
        }
        return out;
    }

    /** Whether there is a demo input called {@code name}. */
    boolean has(String name) {
        return name != null && NAME.matcher(name).matches() && entries().containsKey(name);
    }

    /** The bytes of demo input {@code name}, or null when there is none. */
    byte[] bytes(String name) throws IOException {
        Entry e = name != null && NAME.matcher(name).matches() ? entries().get(name) : null;
        if (e == null) return null;
        if (e.file() != null) return Files.readAllBytes(e.file());
        try (InputStream in = Demo.class.getResourceAsStream(e.resource())) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /**
     * A file holding demo input {@code name} for the readers: the folder's own file, or a copy of
     * a shipped one in {@code scratch} (resources in a jar are not files). Null when there is none.
     */
    Path file(String name, Path scratch) throws IOException {
        Entry e = name != null && NAME.matcher(name).matches() ? entries().get(name) : null;
        if (e == null) return null;
        if (e.file() != null) return e.file();
        byte[] b = bytes(name);
        if (b == null) return null;
        Path copy = Files.createTempFile(scratch, "demo-", "-" + name);
        Files.write(copy, b);
        return copy;
    }

    static String type(String name) {
        return TYPES.getOrDefault(Uploads.extension(name), "application/octet-stream");
    }

    private static boolean offered(String name) {
        return NAME.matcher(name).matches() && TYPES.containsKey(Uploads.extension(name));
    }

    /** "video" for containers, GIFs and strips of frames; "image" for other stills. */
    private static String kind(Path p) {
        String ext = Uploads.extension(p.getFileName().toString());
        if (ext.equals("gif") || MediaReader.isVideoFile(p)) return "video";
        return MediaReader.looksLikeStrip(p) ? "video" : "image";
    }
}
