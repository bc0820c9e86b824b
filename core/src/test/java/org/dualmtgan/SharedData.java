package org.dualmtgan;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared real data the tests read (Weizmann strips, BAIR and KTH frames, face clips, MNIST):
 * {@code ../shared/data} beside the repository, or {@code -Ddualmtgan.data=DIR}. A fresh clone has no
 * such folder: a test that needs it is then skipped (a JUnit assumption, listed as skipped by
 * name) and one line says so; {@code -Ddualmtgan.requireData=true} (the CI) fails such a test instead.
 */
public final class SharedData {
    public static final String PROPERTY = "dualmtgan.data";
    public static final String REQUIRE = "dualmtgan.requireData";
    private static volatile boolean announced;

    private SharedData() {}

    /** The folder as configured, without checking that it exists. */
    public static Path configured() {
        return Path.of(System.getProperty(PROPERTY, "../shared/data"));
    }

    /** The folder; skips the calling test when it is absent (fails it under {@link #REQUIRE}). */
    public static Path root() {
        Path p = configured();
        if (Files.isDirectory(p)) return p;
        String why = "the shared data folder " + p.toAbsolutePath().normalize() + " is absent (set -D" + PROPERTY + "=DIR)";
        if (Boolean.getBoolean(REQUIRE)) throw new IllegalStateException(why + ", and -D" + REQUIRE + "=true asks for it");
        if (!announced) {
            announced = true;
            System.out.println("[shared data] " + why + ": the tests that read it are skipped");
        }
        Assumptions.abort("needs " + why);
        return p;
    }

    /** {@code root().resolve(relative)}. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }
}
