package org.dualmtgan.animate;

import org.dualmtgan.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Models that ship with the project: {@code models/NAME/model.ckpt}, looked up first in the
 * working tree (the folder {@code models} under the current directory, or the folder named by the
 * system property {@value #DIR_PROPERTY}) and then among the class path resources (the jar).
 */
public final class BundledModels {
    /** System property naming the working-tree folder of bundled models (default {@code models}). */
    public static final String DIR_PROPERTY = "dualmtgan.models";
    /** Folder (and resource prefix) holding one sub-folder per bundled model. */
    public static final String DIR = "models";
    /** The model file inside a bundled model's folder: an inference export or a training checkpoint. */
    public static final String FILE = "model.ckpt";
    /** The model card beside it. */
    public static final String CARD = "MODEL_CARD.md";
    /** What a model name may look like: no path separators, not a file name. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private BundledModels() {}

    public static Path workingTreeDir() {
        return Path.of(System.getProperty(DIR_PROPERTY, DIR));
    }

    /** Whether {@code text} can be a bundled model's name (rather than a path). */
    public static boolean looksLikeName(String text) {
        return NAME.matcher(text).matches() && !text.endsWith(".ckpt");
    }

    /** Names of every bundled model, sorted, without duplicates. */
    public static List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        Path dir = workingTreeDir();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    String n = p.getFileName().toString();
                    if (looksLikeName(n) && Files.isRegularFile(p.resolve(FILE))) names.add(n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Enumeration<URL> roots = loader().getResources(DIR);
            while (roots.hasMoreElements()) addResourceNames(roots.nextElement(), names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(names);
    }

    /** The working-tree file of a bundled model, or null when there is none. */
    public static Path workingTreeFile(String name) {
        Path f = workingTreeDir().resolve(name).resolve(FILE);
        return Files.isRegularFile(f) ? f : null;
    }

    /** The class path resource of a bundled model, or null when there is none. */
    public static URL resource(String name) {
        return loader().getResource(DIR + "/" + name + "/" + FILE);
    }

    /** The unknown-name error, listing what exists. */
    public static InvalidInputException unknown(String name) {
        List<String> known = names();
        return new InvalidInputException("unknown model '" + name + "': "
                + (known.isEmpty() ? "no bundled models are installed (models/NAME/" + FILE + ")"
                        : "bundled models are " + String.join(", ", known))
                + "; or give the path of a checkpoint");
    }

    /** Copies a resource to a temporary file (the checkpoint reader needs a file). */
    public static Path copyToTemp(URL url) throws IOException {
        Path tmp = Files.createTempFile("dualmtgan-model-", ".ckpt");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** The resource URL as a local path when it is a plain file, else null. */
    public static Path asLocalFile(URL url) {
        if (!"file".equals(url.getProtocol())) return null;
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void addResourceNames(URL root, TreeSet<String> names) throws IOException {
        Path local = asLocalFile(root);
        if (local != null) {
            if (!Files.isDirectory(local)) return;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(local)) {
                for (Path p : s) {
                    String n = p.getFileName().toString();
                    if (looksLikeName(n) && Files.isRegularFile(p.resolve(FILE))) names.add(n);
                }
            }
            return;
        }
        URLConnection c = root.openConnection();
        if (c instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            try (JarFile file = jar.getJarFile()) {
                Enumeration<JarEntry> entries = file.entries();
                String prefix = DIR + "/";
                String suffix = "/" + FILE;
                while (entries.hasMoreElements()) {
                    String e = entries.nextElement().getName();
                    if (e.startsWith(prefix) && e.endsWith(suffix)) {
                        String n = e.substring(prefix.length(), e.length() - suffix.length());
                        if (looksLikeName(n)) names.add(n);
                    }
                }
            }
        }
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : BundledModels.class.getClassLoader();
    }
    /** The card text of a bundled model (working tree or jar), or null. */
    public static String cardText(String name) throws IOException {
        Path f = BundledModels.workingTreeFile(name);
        if (f != null && Files.isRegularFile(f.resolveSibling(CARD))) return Files.readString(f.resolveSibling(CARD));
        var url = Thread.currentThread().getContextClassLoader().getResource(BundledModels.DIR + "/" + name + "/" + CARD);
        if (url == null) return null;
        try (var in = url.openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

}
