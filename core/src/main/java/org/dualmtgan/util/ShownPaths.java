package org.dualmtgan.util;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths as a document meant for others (a model card, an API answer) may show them: relative to the
 * working folder when they lie inside it (or its parent), else the last name only; never the
 * absolute folders of the machine that wrote them.
 */
public final class ShownPaths {
    /** An absolute path in running text: a '/' not preceded by a word character, ':' or '/'. */
    private static final Pattern ABSOLUTE = Pattern.compile("(?<![\\w.:/~-])(/[\\w.+-]+(?:/[\\w.+-]+)*/?)");

    private ShownPaths() {}

    /** One path: relative to the working folder (or "../..." from its parent) when inside it, else its last name. */
    public static String shown(String path) {
        if (path == null) return null;
        Path p = Path.of(path);
        if (!p.isAbsolute()) return path;
        Path here = Path.of("").toAbsolutePath().normalize();
        Path n = p.normalize();
        if (n.startsWith(here)) return here.equals(n) ? "." : here.relativize(n).toString();
        Path parent = here.getParent();
        if (parent != null && n.startsWith(parent)) return "../" + parent.relativize(n);
        return n.getFileName() == null ? "(root)" : n.getFileName().toString();
    }

    /** {@code text} with every absolute path in it replaced by {@link #shown}. */
    public static String redact(String text) {
        if (text == null) return null;
        Matcher m = ABSOLUTE.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(shown(m.group(1))));
        m.appendTail(b);
        return b.toString();
    }
}
