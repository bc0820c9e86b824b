package org.dualmtgan.util;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Outputs are written under a temporary name next to their destination and renamed into place
 * when complete, so a failure never leaves a half-written file or folder behind.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes one file through {@code writer}, which receives the temporary path to write to. */
    public static void write(Path target, IoConsumer<Path> writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = temporarySibling(abs);
        try {
            writer.accept(tmp);
            move(tmp, abs);
        } catch (IOException | RuntimeException | Error e) {
            deleteRecursively(tmp);
            throw e;
        }
    }

    /** Writes one file from a stream. */
    public static void writeStream(Path target, IoConsumer<OutputStream> writer) throws IOException {
        write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.accept(out);
            }
        });
    }

    /** Writes bytes. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    /** Writes text as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, tmp -> Files.writeString(tmp, text));
    }

    /**
     * Writes a folder: {@code writer} fills a temporary folder which then replaces {@code target}
     * (an existing folder of that name is removed only once the new one is complete).
     */
    public static void writeDirectory(Path target, IoConsumer<Path> writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = temporarySibling(abs);
        Files.createDirectory(tmp);
        try {
            writer.accept(tmp);
            if (Files.exists(abs)) {
                Path old = temporarySibling(abs);
                move(abs, old);
                move(tmp, abs);
                deleteRecursively(old);
            } else {
                move(tmp, abs);
            }
        } catch (IOException | RuntimeException | Error e) {
            deleteRecursively(tmp);
            throw e;
        }
    }

    /** A fresh name beside {@code target}: {@code .NAME.RANDOM.tmp}. */
    public static Path temporarySibling(Path target) {
        String name = target.getFileName().toString();
        long r = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        return target.resolveSibling("." + name + "." + Long.toHexString(r) + ".tmp");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes a file or a folder tree; missing is fine, and so is a file that another thread deletes
     * while the tree is walked (a job's worker removing its inputs while the server closes the job).
     */
    public static void deleteRecursively(Path p) {
        if (p == null) return;
        try {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // gone already
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) throw e;
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }
}
