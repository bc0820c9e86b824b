package org.dualmtgan.spark;

import org.apache.spark.SparkConf;

import java.io.File;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the launcher adds to a job's Spark settings so that it runs on a cluster as it does in local
 * mode: the project's jars for the executors ({@code spark.jars}: the jobs' jar and its library
 * folder, not Spark's own jars, which the cluster has), and the engine's JVM options on the
 * executors. Settings already made (by spark-submit or {@code --conf}) are kept.
 */
final class Launch {
    private Launch() {}

    /** Whether {@code master} runs executors in other JVMs than the driver's (everything but local[...]). */
    static boolean remote(String master) {
        return !(master.equals("local") || master.startsWith("local["));
    }

    /** Adds the jars and executor options a remote master needs; nothing for local[...]. */
    static void configure(SparkConf conf, List<String> jars) {
        String master = conf.get("spark.master", "local[*]");
        if (!remote(master)) return;
        if (!conf.contains("spark.jars") && !jars.isEmpty()) conf.set("spark.jars", String.join(",", jars));
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "1");
        String opts = "-Dai.djl.offline=true -Djava.awt.headless=true -Dai.djl.pytorch.num_threads=" + threads;
        String given = conf.get("spark.executor.extraJavaOptions", "");
        if (!given.contains("ai.djl.offline")) conf.set("spark.executor.extraJavaOptions", (given + " " + opts).trim());
    }

    /**
     * The jars to ship: the jar holding {@code main} and every jar of the {@code lib} folder beside
     * it (as {@code mvn package} lays out spark/target); empty when the classes are not in a jar
     * (tests, an IDE).
     */
    static List<String> shippedJars(Class<?> main) {
        try {
            return shippedJars(new File(main.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return List.of(); // no code source: nothing to ship
        }
    }

    /** {@code jar} and the jars of {@code lib/} beside it, sorted; empty when {@code jar} is not a jar file. */
    static List<String> shippedJars(File jar) {
        List<String> out = new ArrayList<>();
        if (!jar.isFile() || !jar.getName().endsWith(".jar")) return out;
        out.add(jar.getAbsolutePath());
        File[] lib = new File(jar.getParentFile(), "lib").listFiles((d, n) -> n.endsWith(".jar"));
        if (lib != null) {
            java.util.Arrays.sort(lib);
            for (File f : lib) out.add(f.getAbsolutePath());
        }
        return out;
    }
}
