package org.dualmtgan.spark;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The settings the launcher adds for a cluster: the project's jars and the engine's executor options, nothing for local[...]. */
class LaunchTest {
    @Test
    void aRemoteMasterGetsTheJarsAndExecutorOptionsAndGivenSettingsWin() {
        for (String m : List.of("spark://h:7077", "yarn", "k8s://https://h:6443", "local-cluster[2,1,1024]")) assertTrue(Launch.remote(m), m);
        for (String m : List.of("local", "local[2]", "local[*]", "local[2,3]")) assertFalse(Launch.remote(m), m);

        SparkConf local = new SparkConf().setMaster("local[2]");
        Launch.configure(local, List.of("/x/dualmtgan-spark.jar"));
        assertFalse(local.contains("spark.jars"), "local mode needs nothing shipped");

        SparkConf cluster = new SparkConf().setMaster("spark://h:7077");
        Launch.configure(cluster, List.of("/x/dualmtgan-spark.jar", "/x/lib/a.jar"));
        assertEquals("/x/dualmtgan-spark.jar,/x/lib/a.jar", cluster.get("spark.jars"));
        assertTrue(cluster.get("spark.executor.extraJavaOptions").contains("-Dai.djl.offline=true"));
        assertTrue(cluster.get("spark.executor.extraJavaOptions").contains("-Dai.djl.pytorch.num_threads="));

        SparkConf given = new SparkConf().setMaster("yarn").set("spark.jars", "hdfs:///jars/all.jar")
                .set("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Xss4m");
        Launch.configure(given, List.of("/x/dualmtgan-spark.jar"));
        assertEquals("hdfs:///jars/all.jar", given.get("spark.jars"), "spark-submit's or --conf's jars are kept");
        assertEquals("-Dai.djl.offline=true -Xss4m", given.get("spark.executor.extraJavaOptions"));
    }

    @Test
    void theShippedJarsAreTheJobsJarAndItsLibFolder(@TempDir Path dir) throws Exception {
        // From classes (tests, an IDE) there is nothing to ship.
        assertEquals(List.of(), Launch.shippedJars(LaunchTest.class));
        // From a jar: it and lib/*.jar beside it, sorted.
        Path jar = dir.resolve("dualmtgan-spark.jar");
        Files.writeString(jar, "");
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/b.jar"), "");
        Files.writeString(dir.resolve("lib/a.jar"), "");
        Files.writeString(dir.resolve("lib/notes.txt"), "");
        assertEquals(List.of(jar.toString(), dir.resolve("lib/a.jar").toString(), dir.resolve("lib/b.jar").toString()),
                Launch.shippedJars(jar.toFile()));
        assertEquals(List.of(), Launch.shippedJars(dir.resolve("lib/notes.txt").toFile()));
    }
}
