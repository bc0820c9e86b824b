package org.dualmtgan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Packages depend downwards only, in the order docs/architecture.md gives: every reference of a main
 * source file to another {@code org.dualmtgan} package (an import or a qualified name, comments and
 * strings aside) names a package before its own.
 */
class PackageLayersTest {
    /** docs/architecture.md's order; packages on one level ({@code bench, demo}) do not use each other. */
    static final List<List<String>> LEVELS = List.of(List.of("util"), List.of("media"), List.of("data"), List.of("synth"),
            List.of("model"), List.of("run"), List.of("train"), List.of("animate"), List.of("eval"), List.of("bench", "demo"),
            List.of("serve"), List.of("cli"));
    static final Path MAIN = Path.of("core/src/main/java/org/dualmtgan");
    static final Pattern REF = Pattern.compile("\\borg\\.dualmtgan\\.([a-z]+)\\.");
    static final Pattern COMMENTS_AND_STRINGS = Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);

    static int level(String pkg) {
        for (int i = 0; i < LEVELS.size(); i++) if (LEVELS.get(i).contains(pkg)) return i;
        return -1;
    }

    @Test
    void everyPackageUsesOnlyPackagesBelowIt() throws IOException {
        Map<String, TreeSet<String>> uses = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = MAIN.relativize(f);
                if (rel.getNameCount() < 2) continue; // org.dualmtgan itself (InvalidInputException): everyone's
                String pkg = rel.getName(0).toString();
                assertTrue(level(pkg) >= 0, "package " + pkg + " is not in docs/architecture.md's order");
                String code = COMMENTS_AND_STRINGS.matcher(Files.readString(f)).replaceAll(" ");
                Matcher m = REF.matcher(code);
                while (m.find()) {
                    String other = m.group(1);
                    if (other.equals(pkg) || level(other) < 0) continue;
                    uses.computeIfAbsent(pkg, k -> new TreeSet<>()).add(other);
                    if (level(other) >= level(pkg)) wrong.add(rel + " uses " + other);
                }
            }
        }
        assertEquals(List.of(), wrong, "upward or sideways references; the packages' uses: " + uses);
        // The check sees references at all (it is not passing on an empty walk).
        assertTrue(uses.getOrDefault("cli", new TreeSet<>()).contains("animate"), uses.toString());
    }

    @Test
    void theOrderIsTheOneTheArchitecturePageStates() throws IOException {
        String doc = Files.readString(Path.of("docs/architecture.md"));
        StringBuilder b = new StringBuilder();
        for (List<String> l : LEVELS) b.append(b.length() == 0 ? "" : " < ").append(String.join(", ", l));
        assertTrue(doc.contains(b.toString()), "docs/architecture.md should state " + b);
    }
}
