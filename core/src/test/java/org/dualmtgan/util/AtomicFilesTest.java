package org.dualmtgan.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** deleteRecursively: a tree goes, a missing path is fine, and files deleted by another thread meanwhile are no error. */
class AtomicFilesTest {
    @Test
    void aTreeIsDeletedAndAMissingPathIsFine(@TempDir Path dir) throws Exception {
        Path tree = dir.resolve("a");
        Files.createDirectories(tree.resolve("b/c"));
        Files.writeString(tree.resolve("b/c/x.txt"), "x");
        Files.writeString(tree.resolve("y.txt"), "y");
        AtomicFiles.deleteRecursively(tree);
        assertFalse(Files.exists(tree));
        AtomicFiles.deleteRecursively(tree);
        AtomicFiles.deleteRecursively(null);
    }

    @Test
    void filesThatVanishWhileTheTreeIsWalkedAreNoError(@TempDir Path dir) throws Exception {
        // Four threads delete the same trees at once (as a job's worker and the server's close do):
        // each sees files listed that another has removed by the time it reads or deletes them.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                Path tree = dir.resolve("job-" + round);
                for (int d = 0; d < 5; d++) {
                    Files.createDirectories(tree.resolve("d" + d));
                    for (int f = 0; f < 40; f++) Files.writeString(tree.resolve("d" + d).resolve("f" + f + ".png"), "p");
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> all = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    all.add(pool.submit(() -> {
                        go.await();
                        AtomicFiles.deleteRecursively(tree);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : all) f.get(); // an exception in any thread fails here
                assertFalse(Files.exists(tree), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
