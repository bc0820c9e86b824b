package org.dualmtgan.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.dualmtgan.animate.Animator;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The models of this JVM (an executor, or the driver in local mode): each loaded once, on its
 * first use, and shared by every task that runs here ({@link Animator} is safe for concurrent
 * callers; each call frees its native memory when it returns). A model is a bundled name, a local
 * path, or a path on a Hadoop file system (copied to a local temporary file first).
 */
final class ExecutorModels {
    /** A model and the seconds its loading took in this call (0 when it was already loaded). */
    record Loaded(Animator animator, double loadSeconds) {}

    private static final Map<String, Animator> MODELS = new HashMap<>();

    private ExecutorModels() {}

    static synchronized Loaded get(String model, Configuration conf) {
        Animator a = MODELS.get(model);
        if (a != null) return new Loaded(a, 0);
        long t0 = System.nanoTime();
        a = load(model, conf);
        MODELS.put(model, a);
        return new Loaded(a, (System.nanoTime() - t0) / 1e9);
    }

    /** Closes every model of this JVM (tests, and the driver when a local job ends). */
    static synchronized void closeAll() {
        MODELS.values().forEach(Animator::close);
        MODELS.clear();
    }

    private static Animator load(String model, Configuration conf) {
        Path p = new Path(model);
        // A bundled name or a local path: the core loader resolves both; on a cluster's executor a
        // bundled name is the copy the driver shipped (ship).
        if (p.toUri().getScheme() == null) {
            if (org.dualmtgan.animate.BundledModels.looksLikeName(model) && org.dualmtgan.animate.BundledModels.workingTreeFile(model) == null
                    && org.dualmtgan.animate.BundledModels.resource(model) == null) {
                java.io.File shipped = new java.io.File(org.apache.spark.SparkFiles.get(shippedName(model)));
                if (shipped.isFile()) return Animator.load(shipped.toPath());
            }
            return Animator.load(model);
        }
        if ("file".equals(p.toUri().getScheme())) return Animator.load(p.toUri().getPath());
        java.nio.file.Path dir = null;
        try {
            dir = Files.createTempDirectory("dualmtgan-model-");
            return Animator.load(HadoopFiles.local(p, dir, conf));
        } catch (java.io.FileNotFoundException e) {
            throw new org.dualmtgan.InvalidInputException("model " + model + ": not found");
        } catch (IOException e) {
            // A remote model that cannot be read is the user's input, as a missing local one is.
            throw new org.dualmtgan.InvalidInputException("model " + model + ": cannot be read: " + e.getMessage());
        } finally {
            if (dir != null) org.dualmtgan.util.AtomicFiles.deleteRecursively(dir);
        }
    }

    static String shippedName(String model) {
        return "dualmtgan-model-" + model + ".ckpt";
    }

    /**
     * On a master with executors in other JVMs, a bundled model's file goes with the job
     * ({@code SparkContext.addFile}), since the executors have no models folder; paths are left alone
     * (every executor must be able to read them).
     */
    static void ship(org.apache.spark.sql.SparkSession spark, String model) throws IOException {
        if (!Launch.remote(spark.sparkContext().master()) || !org.dualmtgan.animate.BundledModels.looksLikeName(model)) return;
        java.nio.file.Path file = org.dualmtgan.animate.BundledModels.workingTreeFile(model);
        java.net.URL res = file == null ? org.dualmtgan.animate.BundledModels.resource(model) : null;
        if (file == null && res == null) throw org.dualmtgan.animate.BundledModels.unknown(model);
        java.nio.file.Path dir = Files.createTempDirectory("dualmtgan-ship-");
        java.nio.file.Path copy = dir.resolve(shippedName(model));
        if (file != null) Files.copy(file, copy);
        else try (java.io.InputStream in = res.openStream()) {
            Files.copy(in, copy);
        }
        copy.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        spark.sparkContext().addFile(copy.toString());
    }
}
