package org.dualmtgan.synth;

import org.dualmtgan.InvalidInputException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The synthetic domains by name. */
public final class Domains {
    /** faces (MUG analogue), actors (Weizmann), sprites (BAIR), mnist (Moving MNIST). */
    public static final List<String> NAMES = List.of("faces", "actors", "sprites", "mnist");
    /** System property naming the real-data folder (MNIST digits); default {@code ../shared/data}. */
    public static final String DATA_PROPERTY = "dualmtgan.data";

    private Domains() {}

    /** A domain; mnist reads its digits from {@link #defaultDataDir()} when it first samples one. */
    public static Domain byName(String name) {
        return byName(name, defaultDataDir());
    }

    /** A domain; {@code dataDir} is the folder holding {@code mnist/} (only mnist uses it). */
    public static Domain byName(String name, Path dataDir) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "faces" -> new FacesDomain();
            case "actors" -> new ActorsDomain();
            case "sprites" -> new SpritesDomain();
            case "mnist" -> new MnistDomain(dataDir);
            default -> throw new InvalidInputException("unknown domain '" + name + "' (valid: " + String.join(", ", NAMES) + ")");
        };
    }

    public static Path defaultDataDir() {
        return Path.of(System.getProperty(DATA_PROPERTY, "../shared/data"));
    }
}
