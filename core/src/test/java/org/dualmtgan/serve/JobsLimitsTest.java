package org.dualmtgan.serve;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The caps on kept jobs and result bytes: ended jobs go early, the longest ended first, with their files. */
class JobsLimitsTest {
    static List<String> run(Jobs jobs, ExecutorService pool, Path root, int n, int bytes) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = jobs.newId();
            Path dir = Files.createDirectory(root.resolve(id));
            Jobs.Job j = jobs.submit(id, "generate", "alice", dir, () -> new Outputs.Body("application/octet-stream", new byte[bytes], null),
                    pool, () -> {});
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!j.ended() && System.nanoTime() < deadline) Thread.sleep(2);
            assertEquals(Jobs.State.DONE, j.state);
            ids.add(id);
            Thread.sleep(5); // distinct end times
        }
        return ids;
    }

    @Test
    void beyondTheJobCountTheOldestEndedJobsGoFirst() throws Exception {
        Path root = Files.createTempDirectory("dualmtgan-jobs");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jobs jobs = new Jobs(Duration.ofHours(1), 3, Long.MAX_VALUE)) {
            List<String> ids = run(jobs, pool, root, 5, 10);
            assertEquals(3, jobs.size());
            assertNull(jobs.get(ids.get(0)));
            assertNull(jobs.get(ids.get(1)));
            for (String id : ids.subList(2, 5)) assertNotNull(jobs.get(id), id);
            assertFalse(Files.exists(root.resolve(ids.get(0))), "a removed job's folder goes with it");
            assertTrue(Files.exists(root.resolve(ids.get(4)).resolve("result")));
        } finally {
            pool.shutdownNow();
            org.dualmtgan.util.AtomicFiles.deleteRecursively(root);
        }
    }

    @Test
    void beyondTheResultBytesTheOldestGoButTheJustEndedStays() throws Exception {
        Path root = Files.createTempDirectory("dualmtgan-jobs");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jobs jobs = new Jobs(Duration.ofHours(1), 100, 2500)) {
            List<String> ids = run(jobs, pool, root, 4, 1000);
            // 4 x 1000 bytes against 2500: the two oldest go.
            assertEquals(List.of(false, false, true, true), ids.stream().map(id -> jobs.get(id) != null).toList());
            // One result over the whole cap is kept until it is read or expires: its client has not seen it yet.
            String big = run(jobs, pool, root, 1, 4000).get(0);
            assertNotNull(jobs.get(big));
            assertEquals(1, jobs.size());
        } finally {
            pool.shutdownNow();
            org.dualmtgan.util.AtomicFiles.deleteRecursively(root);
        }
    }
}
