package org.dualmtgan.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dualmtgan.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The launcher against a Spark standalone cluster: a Master and a Worker started as child processes
 * from Spark's own classes on 127.0.0.1, the job's driver as a third process run the way
 * {@code ./dualmtgan-spark} runs it (the job's jar and {@code lib/} beside it, {@code --master
 * spark://127.0.0.1:PORT}), executors launched by the Worker in JVMs of their own that have Spark's
 * jars but not the project's. The rows are read through a viewfs mount table given only as a
 * {@code --conf spark.hadoop.*} setting, so they are written only if that setting reaches the tasks;
 * the outputs must be the CLI's bytes.
 */
class StandaloneClusterTest {
    static final Path DATA = Path.of(System.getProperty("dualmtgan.data", "../shared/data"));
    static final Path STILL = Path.of("core/src/main/resources/org/dualmtgan/demo/weizmann-p6-still.png");
    static final Duration START = Duration.ofSeconds(90);
    static final Duration JOB = Duration.ofSeconds(300);

    @TempDir
    static Path dir;
    static Path sparkHome;
    static String masterUrl;
    static final List<Process> daemons = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        String why = "the shared data folder " + DATA.toAbsolutePath().normalize() + " is absent (set -Ddualmtgan.data=DIR)";
        if (!Files.isDirectory(DATA)) {
            if (Boolean.getBoolean("dualmtgan.requireData")) throw new IllegalStateException(why);
            System.out.println("[shared data] " + why + ": the standalone cluster test is skipped");
            org.junit.jupiter.api.Assumptions.abort("needs " + why);
        }
        // A Spark distribution as the Worker needs one: SPARK_HOME/jars (here every jar of the test's
        // class path but the project's own, so executors can get those only from the job) and RELEASE.
        sparkHome = dir.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.writeString(sparkHome.resolve("RELEASE"), "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + " (test distribution)\n");
        for (String e : classPath()) {
            Path p = Path.of(e);
            String n = p.getFileName().toString();
            if (n.endsWith(".jar") && Files.isRegularFile(p) && !n.startsWith("dualmtgan")) {
                Path link = sparkHome.resolve("jars").resolve(n);
                if (!Files.exists(link)) Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        }
        int port = freePort();
        int ui = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        daemons.add(start(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(ui)));
        daemons.add(start(dir.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--cores", "2", "--memory", "3g", "--webui-port", String.valueOf(freePort()),
                "--work-dir", dir.resolve("work").toString(), masterUrl));
        awaitWorker();
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // executors the Worker started
            p.destroyForcibly();
        }
        for (Process p : daemons) {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theLauncherRunsABatchOnTheClusterWithTheCliBytesAndTheJobsHadoopSettings() throws Exception {
        // The job laid out as `mvn package` lays out spark/target: the job's jar, lib/ beside it.
        Path app = dir.resolve("app");
        Files.createDirectories(app.resolve("lib"));
        Path jobJar = jar(codeSource(SparkMain.class), app.resolve("dualmtgan-spark.jar"));
        jar(codeSource(Main.class), app.resolve("lib/dualmtgan.jar"));

        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(STILL, in.resolve("still.png"));
        Files.copy(DATA.resolve("weizmann/class3_00000044.png"), in.resolve("jack.png"));
        Path pairs = in.resolve("pairs.csv");
        Files.write(pairs, List.of("image,driving,samples,seed,name",
                "viewfs://dmt-cluster/in/still.png,viewfs://dmt-cluster/in/jack.png,,,jack",
                "viewfs://dmt-cluster/in/still.png,,2,3,gen"));
        Path out = dir.resolve("out");

        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g"));
        cmd.addAll(opens());
        cmd.addAll(List.of("-Dai.djl.offline=true", "-Djava.awt.headless=true", "-Dai.djl.pytorch.num_threads=1",
                "-Ddualmtgan.models=" + Path.of("models").toAbsolutePath(),
                "-cp", jobJar + File.pathSeparator + app.resolve("lib") + "/*" + File.pathSeparator + sparkHome.resolve("jars") + "/*",
                "org.dualmtgan.spark.SparkMain", "batch", "--model", "weizmann-64", "--pairs", pairs.toString(),
                "--out", out.toString(), "--master", masterUrl, "--partitions", "2",
                "--conf", "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.hadoop.fs.viewfs.mounttable.dmt-cluster.link./in=" + in.toUri()));
        Path log = dir.resolve("driver.log");
        Process driver = process(cmd, log).start();
        if (!driver.waitFor(JOB.toSeconds(), TimeUnit.SECONDS)) {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            fail("the batch did not end in " + JOB + ":\n" + tail(log));
        }
        assertEquals(0, driver.exitValue(), tail(log));
        assertTrue(Files.readString(log).contains("2 rows, 2 written, 0 skipped (already there), 0 failed"), tail(log));

        // The rows ran on executors of the Worker, which fetched the job's jar from the driver.
        String executors = executorLogs();
        assertTrue(executors.contains("dualmtgan-spark.jar"), "no executor fetched the job's jar:\n" + executors);

        // The CLI's bytes, in this JVM, from the same inputs as local files.
        Path cli = dir.resolve("cli");
        assertEquals(0, Main.run("transfer", "--model", "weizmann-64", "--image", in.resolve("still.png").toString(),
                "--driving", in.resolve("jack.png").toString(), "--out", cli.resolve("jack.gif").toString()));
        assertArrayEquals(Files.readAllBytes(cli.resolve("jack.gif")), Files.readAllBytes(out.resolve("jack.gif")), "transfer row");
        assertEquals(0, Main.run("generate", "--model", "weizmann-64", "--image", in.resolve("still.png").toString(),
                "--samples", "2", "--seed", "3", "--out", cli.resolve("gen").toString()));
        for (String f : List.of("sample-00.gif", "sample-01.gif")) {
            assertArrayEquals(Files.readAllBytes(cli.resolve("gen").resolve(f)), Files.readAllBytes(out.resolve("gen").resolve(f)), f);
        }
        JsonNode report = new ObjectMapper().readTree(out.resolve(BatchJob.REPORT).toFile());
        assertEquals(2, report.get("written").asInt());
        assertEquals(3, report.get("videosWritten").asInt());
        assertEquals(List.of("row,name,image,driving,reason"), Files.readAllLines(out.resolve(BatchJob.ERRORS)));
    }

    // ---- the cluster's processes

    static ProcessBuilder process(List<String> cmd, Path log) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // every process (executors too) on the loopback
        return pb;
    }

    static Process start(Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx384m"));
        cmd.addAll(opens());
        cmd.addAll(List.of("-Dspark.master.rest.enabled=false", "-cp", sparkHome.resolve("jars") + "/*", main));
        cmd.addAll(List.of(args));
        return process(cmd, log).start();
    }

    /** Waits until the Worker says it registered with the Master. */
    static void awaitWorker() throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        Path log = dir.resolve("worker.log");
        while (System.nanoTime() < deadline) {
            for (Process p : daemons) {
                if (!p.isAlive()) fail("a cluster process ended with " + p.exitValue() + ":\n" + tail(dir.resolve("master.log")) + tail(log));
            }
            if (Files.exists(log) && Files.readString(log).contains("Successfully registered with master")) return;
            Thread.sleep(500);
        }
        fail("no worker registered in " + START + ":\n" + tail(dir.resolve("master.log")) + tail(log));
    }

    static String executorLogs() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir.resolve("work"))) {
            for (Path p : s.filter(f -> f.getFileName().toString().equals("stderr")).toList()) b.append(Files.readString(p));
        }
        return b.toString();
    }

    // ---- helpers

    static List<String> classPath() {
        // Surefire runs the tests from a manifest-only jar; the real class path is in this property.
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator));
    }

    /** The JVM options this JVM was started with that open JDK internals to Spark (pom's spark.opens). */
    static List<String> opens() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) out.add(a);
        }
        return out;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path codeSource(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** {@code classes} as a jar at {@code target} (copied when it is a jar already). */
    static Path jar(Path classes, Path target) throws IOException {
        if (Files.isRegularFile(classes)) return Files.copy(classes, target);
        try (OutputStream o = Files.newOutputStream(target); JarOutputStream j = new JarOutputStream(o);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return target;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no " + log + ")\n";
        }
    }
}
