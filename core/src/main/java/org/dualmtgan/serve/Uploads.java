package org.dualmtgan.serve;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Names of uploaded files: the client's name for messages, a safe name with a known extension on disk. */
final class Uploads {
    /** Extensions the media readers take (see MediaReader). */
    static final Set<String> KNOWN = Set.of("png", "jpg", "jpeg", "gif", "bmp", "mp4", "mov", "avi", "webm", "mkv", "m4v");
    /** An extension for a part whose name has none the readers know, from its declared type. */
    private static final Map<String, String> BY_TYPE = Map.ofEntries(
            Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"),
            Map.entry("image/bmp", "bmp"), Map.entry("video/mp4", "mp4"), Map.entry("video/quicktime", "mov"),
            Map.entry("video/x-msvideo", "avi"), Map.entry("video/webm", "webm"), Map.entry("video/x-matroska", "mkv"));
    private static final int MAX_NAME = 120;

    private Uploads() {}

    /** The client's file name without any folder part or control characters, at most 120 characters. */
    static String displayName(String raw) {
        String s = raw == null ? "" : raw;
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(cut + 1);
        StringBuilder b = new StringBuilder();
        s.codePoints().filter(c -> !Character.isISOControl(c)).forEach(b::appendCodePoint);
        s = b.toString().trim();
        return s.length() > MAX_NAME ? s.substring(s.length() - MAX_NAME) : s;
    }

    /**
     * The on-disk name of part {@code index}: its number, the name's safe characters, and an
     * extension the readers know (the name's own, else one for the declared type).
     */
    static String storedName(int index, String displayName, String contentType) {
        String ext = extension(displayName);
        String base = ext.isEmpty() ? displayName : displayName.substring(0, displayName.length() - ext.length() - 1);
        // No leading dots: the stored name is never hidden, "." or "..".
        base = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "");
        if (base.length() > 40) base = base.substring(0, 40);
        if (!KNOWN.contains(ext)) {
            String byType = contentType == null ? null : BY_TYPE.get(contentType.split(";")[0].trim().toLowerCase(Locale.ROOT));
            // Keep an unknown extension so that the reader's message names it.
            ext = byType != null ? byType : ext.replaceAll("[^a-z0-9]", "");
        }
        return String.format(Locale.ROOT, "%02d-%s%s", index, base.isEmpty() ? "upload" : base, ext.isEmpty() ? "" : "." + ext);
    }

    /** Lower-case extension without the dot, or "". */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 || dot == name.length() - 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
