package org.dualmtgan.serve;

import org.dualmtgan.media.MediaReader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Example inputs the web page offers next to its upload fields: the image and video files of one
 * folder ({@code serve --demo DIR}, default {@code demo/} when it exists). A request names one with
 * {@code FIELDDemo=NAME} (e.g. {@code imageDemo=face.png}) instead of uploading {@code FIELD}. Only
 * plain files directly in the folder, with a name of letters, digits and {@code . _ -}, are offered.
 */
final class DemoInputs {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("bmp", "image/bmp"), Map.entry("gif", "image/gif"), Map.entry("mp4", "video/mp4"),
            Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"), Map.entry("webm", "video/webm"),
            Map.entry("mkv", "video/x-matroska"), Map.entry("m4v", "video/mp4"));

    private final Path dir;

    DemoInputs(Path dir) {
        this.dir = dir;
    }

    /** Every demo input: name, kind (image or video), bytes, type and URL; sorted by name. */
    List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) return out;
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) if (offered(p)) files.add(p);
        } catch (IOException e) {
            return out;
        }
        files.sort(null);
        for (Path p : files) {
            Map<String, Object> m = new LinkedHashMap<>();
            String name = p.getFileName().toString();
            m.put("name", name);
            m.put("kind", kind(p));
            try {
                m.put("bytes", Files.size(p));
            } catch (IOException e) {
                continue;
            }
            m.put("type", type(name));
            m.put("url", "/api/v1/demos/" + name);
            out.add(m);
        }
        return out;
    }

    /** The file of demo input {@code name}, or null when there is no such offered file. */
    Path find(String name) {
        if (dir == null || name == null || !NAME.matcher(name).matches()) return null;
        Path p = dir.resolve(name);
        return offered(p) ? p : null;
    }

    static String type(String name) {
        return TYPES.getOrDefault(Uploads.extension(name), "application/octet-stream");
    }

    private static boolean offered(Path p) {
        String name = p.getFileName().toString();
        return NAME.matcher(name).matches() && TYPES.containsKey(Uploads.extension(name)) && Files.isRegularFile(p);
    }

    /** "video" for containers, GIFs and strips of frames; "image" for other stills. */
    private static String kind(Path p) {
        String ext = Uploads.extension(p.getFileName().toString()).toLowerCase(Locale.ROOT);
        if (ext.equals("gif") || MediaReader.isVideoFile(p)) return "video";
        return MediaReader.looksLikeStrip(p) ? "video" : "image";
    }
}
