package org.dualmtgan.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.dualmtgan.cli.Main;
import org.dualmtgan.eval.EvalData;
import org.dualmtgan.eval.EvalReport;
import org.dualmtgan.eval.EvalResult;
import org.dualmtgan.eval.Evaluation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Spark jobs in local mode ({@code local[2,2]}: two task threads, a failed task retried once)
 * with the bundled weizmann-64 model and real Weizmann clips: the batch writes the CLI's bytes,
 * reports bad rows without failing, skips finished rows, survives a killed task; eval on Spark
 * equals eval in one process.
 */
class SparkJobsTest {
    static final Path DATA = Path.of(System.getProperty("dualmtgan.data", "../shared/data"));
    static final Path STILL = Path.of("core/src/main/resources/org/dualmtgan/demo/weizmann-p6-still.png");
    static final String MODEL = "weizmann-64";
    static SparkSession spark;

    @BeforeAll
    static void start() {
        // Every job here reads the shared Weizmann strips: without them (a fresh clone) the class is
        // skipped, unless -Ddualmtgan.requireData=true (the CI) asks for them.
        String why = "the shared data folder " + DATA.toAbsolutePath().normalize() + " is absent (set -Ddualmtgan.data=DIR)";
        if (!Files.isDirectory(DATA)) {
            if (Boolean.getBoolean("dualmtgan.requireData")) throw new IllegalStateException(why);
            System.out.println("[shared data] " + why + ": the Spark job tests are skipped");
            org.junit.jupiter.api.Assumptions.abort("needs " + why);
        }
        spark = SparkSession.builder().master("local[2,2]").appName("dualmtgan-spark-test")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
        ExecutorModels.closeAll();
    }

    static Path driving(String name) {
        return DATA.resolve("weizmann").resolve(name).toAbsolutePath();
    }

    static Path pairs(Path dir, String... lines) throws IOException {
        Path p = dir.resolve("pairs.csv");
        Files.write(p, List.of(lines));
        return p;
    }

    static BatchJob.Summary batch(Path pairs, Path out, String format) throws IOException {
        BatchJob.Options o = new BatchJob.Options();
        o.model = MODEL;
        o.pairs = pairs.toString();
        o.out = out.toString();
        o.format = format;
        o.partitions = 2;
        return BatchJob.run(spark, o);
    }

    static int cli(String... args) {
        return Main.run(args);
    }

    @Test
    void aBatchWritesTheCliBytesForEachRow(@TempDir Path dir) throws IOException {
        Files.copy(STILL, dir.resolve("still.png"));
        Path jack = driving("class3_00000044.png");
        Path wave = driving("class1_00000040.png");
        Path p = pairs(dir, "image,driving,samples,seed,name",
                "still.png," + jack + ",,,jack",
                "still.png," + wave + ",,,",
                "still.png,,3,7,");
        Path out = dir.resolve("out");
        BatchJob.Summary s = batch(p, out, "gif");
        assertEquals(3, s.written(), s.rows().toString());
        assertEquals(0, s.failed());

        Path cliOut = dir.resolve("cli");
        assertEquals(0, cli("transfer", "--model", MODEL, "--image", dir.resolve("still.png").toString(), "--driving", jack.toString(),
                "--out", cliOut.resolve("jack.gif").toString()));
        assertArrayEquals(Files.readAllBytes(cliOut.resolve("jack.gif")), Files.readAllBytes(out.resolve("jack.gif")));
        assertEquals(0, cli("transfer", "--model", MODEL, "--image", dir.resolve("still.png").toString(), "--driving", wave.toString(),
                "--out", cliOut.resolve("wave.gif").toString()));
        assertArrayEquals(Files.readAllBytes(cliOut.resolve("wave.gif")), Files.readAllBytes(out.resolve("00001-still-class1_00000040.gif")),
                "an unnamed row is named from its number, image and driving video");
        assertEquals(0, cli("generate", "--model", MODEL, "--image", dir.resolve("still.png").toString(), "--samples", "3", "--seed", "7",
                "--out", cliOut.resolve("gen").toString()));
        for (String f : List.of("sample-00.gif", "sample-01.gif", "sample-02.gif")) {
            assertArrayEquals(Files.readAllBytes(cliOut.resolve("gen").resolve(f)), Files.readAllBytes(out.resolve("00002-still-s7").resolve(f)), f);
        }
        assertFalse(Files.readAllBytes(out.resolve("00002-still-s7/sample-00.gif")).length == 0);
        // The samples differ from each other (seeded per sample), and the report counts the rows.
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(out.resolve("00002-still-s7/sample-00.gif")),
                Files.readAllBytes(out.resolve("00002-still-s7/sample-01.gif"))));
        JsonNode report = new ObjectMapper().readTree(out.resolve(BatchJob.REPORT).toFile());
        assertEquals(3, report.get("written").asInt());
        assertTrue(report.get("taskSeconds").get("inferenceSeconds").asDouble() > 0);
        assertEquals(List.of("row,name,image,driving,reason"), Files.readAllLines(out.resolve(BatchJob.ERRORS)));
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(HadoopFiles.TEMPORARY_PREFIX)
                    || f.getFileName().toString().endsWith(".crc")), "no temporary or checksum files");
        }
    }

    @Test
    void badRowsLandInTheErrorsFileAndTheRestIsWritten(@TempDir Path dir) throws IOException {
        Files.copy(STILL, dir.resolve("my still.png")); // a space in the name
        Files.writeString(dir.resolve("notes.png"), "not an image");
        Path jack = driving("class3_00000044.png");
        Path p = pairs(dir, "image,driving,samples,seed",
                "my still.png," + jack + ",,",
                "missing.png," + jack + ",,",
                "notes.png," + jack + ",,",
                "still.png,,many,1",
                "my still.png," + dir.resolve("no-such-video.mp4") + ",,",
                ",,2,1");
        Path out = dir.resolve("out");
        BatchJob.Summary s = batch(p, out, "mp4");
        assertEquals(1, s.written(), s.rows().toString());
        assertEquals(5, s.failed());
        List<String> errors = Files.readAllLines(out.resolve(BatchJob.ERRORS));
        assertEquals(6, errors.size(), errors.toString());
        String all = String.join("\n", errors);
        assertTrue(errors.get(1).startsWith("1,") && errors.get(1).contains("missing.png"), all);
        assertTrue(errors.get(2).startsWith("2,") && errors.get(2).contains("notes.png"), all);
        assertTrue(errors.get(3).startsWith("3,") && errors.get(3).contains("not a number") && errors.get(3).contains("many"), all);
        assertTrue(errors.get(4).startsWith("4,") && errors.get(4).contains("no-such-video.mp4"), all);
        assertTrue(errors.get(5).startsWith("5,") && errors.get(5).contains("no image"), all);
        assertTrue(Files.isRegularFile(out.resolve("00000-my_still-class3_00000044.mp4")));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(3, files.count(), "the one result, _errors.csv and _report.json");
        }
    }

    @Test
    void aRerunSkipsFinishedRowsAndAKilledTaskIsRetriedToTheSameBytes(@TempDir Path dir) throws IOException {
        Files.copy(STILL, dir.resolve("still.png"));
        Path p = pairs(dir, "image,samples,seed,frames",
                "still.png,1,1,8", "still.png,1,2,8", "still.png,1,3,8", "still.png,1,4,8");
        Path out = dir.resolve("out");
        BatchJob.Summary first = batch(p, out, "png");
        assertEquals(4, first.written());
        byte[] row2 = Files.readAllBytes(out.resolve("00002-still-s3/sample-00.png"));

        // A re-run finds every output: nothing is computed again.
        BatchJob.Summary again = batch(p, out, "png");
        assertEquals(0, again.written());
        assertEquals(4, again.skipped());

        // Row 2's output removed, a stale temporary left by a killed run, and the first attempt of the
        // task that publishes row 2 killed just before its rename: the retry writes the same bytes.
        org.dualmtgan.util.AtomicFiles.deleteRecursively(out.resolve("00002-still-s3"));
        Files.writeString(out.resolve(HadoopFiles.TEMPORARY_PREFIX + "00001-still-s2-stale"), "half");
        AtomicInteger kills = new AtomicInteger();
        HadoopFiles.beforeRename = dest -> {
            if (dest.getParent().getName().equals("00002-still-s3") && TaskContext.get() != null && TaskContext.get().attemptNumber() == 0) {
                kills.incrementAndGet();
                throw new Error("task killed (test)"); // not a row's failure: the task dies and is retried
            }
        };
        try {
            BatchJob.Summary third = batch(p, out, "png");
            assertEquals(1, kills.get(), "the first attempt was killed");
            assertEquals(1, third.written());
            assertEquals(3, third.skipped());
        } finally {
            HadoopFiles.beforeRename = null;
        }
        assertArrayEquals(row2, Files.readAllBytes(out.resolve("00002-still-s3/sample-00.png")), "seeded by the row, not the attempt");
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(HadoopFiles.TEMPORARY_PREFIX)), "temporaries swept");
        }
    }

    @Test
    void evalOnSparkEqualsEvalInOneProcess(@TempDir Path dir) throws IOException {
        for (String protocol : List.of(Evaluation.RECONSTRUCTION, Evaluation.STOCHASTIC)) {
            Path local = dir.resolve(protocol + "-local");
            assertEquals(0, cli("eval", "--model", MODEL, "--protocol", protocol, "--data", DATA.resolve("weizmann").toString(),
                    "--clips", "5", "--frames", "8", "--samples", "4", "--seed", "3", "--out", local.toString()));
            EvalData.Selection s = new EvalData.Selection();
            s.data = DATA.resolve("weizmann");
            s.clips = 5;
            s.frames = 8;
            EvalResult r = SparkEval.run(spark, MODEL, protocol, s, new SparkEval.Settings(4, 1, 3, 200), 3);
            assertEquals(5, r.clips().size());
            Path onSpark = dir.resolve(protocol + "-spark");
            EvalReport.write(r, onSpark);
            for (String ext : List.of(".csv", ".md", ".json")) {
                assertEquals(Files.readString(dir.resolve(protocol + "-local" + ext)), Files.readString(dir.resolve(protocol + "-spark" + ext)),
                        protocol + ext);
            }
        }
    }

    @Test
    void theLauncherReportsABadModelAndAMissingPairsFileAsBadInput(@TempDir Path dir) throws IOException {
        Path p = pairs(dir, "image,driving", "a.png,b.mp4");
        assertEquals(2, SparkMain.run("batch", "--model", dir.resolve("nope.ckpt").toString(), "--pairs", p.toString(),
                "--out", dir.resolve("o").toString(), "--master", "local[1]"));
        assertEquals(2, SparkMain.run("batch", "--model", MODEL, "--pairs", dir.resolve("none.csv").toString(),
                "--out", dir.resolve("o").toString(), "--master", "local[1]"));
        Path noImage = dir.resolve("cols.csv");
        Files.write(noImage, List.of("picture,driving", "a.png,b.mp4"));
        assertEquals(2, SparkMain.run("batch", "--model", MODEL, "--pairs", noImage.toString(),
                "--out", dir.resolve("o").toString(), "--master", "local[1]"));
        assertEquals(2, SparkMain.run("eval", "--model", MODEL, "--protocol", "nonsense", "--master", "local[1]"));
        assertEquals(2, SparkMain.run("eval", "--model", MODEL, "--protocol", "reconstruction", "--frames", "-1", "--master", "local[1]"));
        assertFalse(Files.exists(dir.resolve("o")), "nothing written for bad input");

        // The launcher's eval writes the report files of `dualmtgan eval`.
        Path base = dir.resolve("rec");
        assertEquals(0, SparkMain.run("eval", "--model", MODEL, "--protocol", "reconstruction", "--data", DATA.resolve("weizmann").toString(),
                "--clips", "2", "--frames", "6", "--out", base.toString()));
        assertTrue(Files.readString(dir.resolve("rec.csv")).lines().count() >= 5, "a header and a row per clip and method");
        assertTrue(Files.isRegularFile(dir.resolve("rec.json")) && Files.isRegularFile(dir.resolve("rec-ssim-per-frame.png")));
        // --data as a file: URI is the same folder; another scheme is refused by name.
        assertEquals(0, SparkMain.run("eval", "--model", MODEL, "--protocol", "reconstruction",
                "--data", DATA.resolve("weizmann").toAbsolutePath().toUri().toString(), "--clips", "2", "--frames", "6",
                "--out", dir.resolve("uri").toString()));
        assertEquals(Files.readString(dir.resolve("rec.csv")), Files.readString(dir.resolve("uri.csv")));
        assertEquals(2, SparkMain.run("eval", "--model", MODEL, "--protocol", "reconstruction", "--data", "hdfs://nn/clips"));
    }

    @Test
    void tasksUseTheJobsHadoopSettingsAndSpacedHeadersNameTheirColumns(@TempDir Path dir) throws IOException {
        // A mount table set on the job's Hadoop configuration only (as spark.hadoop.* settings are):
        // the tasks must see it to read viewfs://dmt-test/in/... at all.
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(STILL, in.resolve("still.png"));
        Files.copy(driving("class3_00000044.png"), in.resolve("jack.png"));
        org.apache.hadoop.conf.Configuration jobConf = spark.sparkContext().hadoopConfiguration();
        jobConf.set("fs.viewfs.mounttable.dmt-test.link./in", in.toUri().toString());
        // Uncached, so a task cannot borrow the driver's instance (in local mode they share a JVM).
        jobConf.setBoolean("fs.viewfs.impl.disable.cache", true);
        Path p = pairs(dir, "image, driving , samples,seed",
                "viewfs://dmt-test/in/still.png, viewfs://dmt-test/in/jack.png,,",
                "viewfs://dmt-test/in/still.png,,2,3");
        Path out = dir.resolve("out");
        BatchJob.Summary s = batch(p, out, "gif");
        assertEquals(2, s.written(), s.rows().toString());
        assertTrue(Files.isRegularFile(out.resolve("00000-still-jack.gif")), "the spaced header's row is a transfer");
        assertTrue(Files.isRegularFile(out.resolve("00001-still-s3/sample-01.gif")));
        JsonNode report = new ObjectMapper().readTree(out.resolve(BatchJob.REPORT).toFile());
        assertEquals(3, report.get("videosWritten").asInt(), "one transfer and two samples");
        assertEquals(3 / report.get("wallSeconds").asDouble(), report.get("videosPerSecond").asDouble(), 1e-9);
        // A remote model that is not there is bad input (exit 2), named.
        assertEquals(2, SparkMain.run("batch", "--model", "viewfs://dmt-test/in/nope.ckpt", "--pairs", p.toString(),
                "--out", dir.resolve("o2").toString()));
    }

    @Test
    void failedRowsBeyondMaxFailedMakeTheBatchExit3(@TempDir Path dir) throws IOException {
        Files.copy(STILL, dir.resolve("still.png"));
        Path p = pairs(dir, "image,samples,seed", "still.png,1,1", "missing.png,1,2");
        assertEquals(SparkMain.EXIT_ROWS_FAILED, SparkMain.run("batch", "--model", MODEL, "--pairs", p.toString(),
                "--out", dir.resolve("a").toString(), "--format", "png"));
        assertTrue(Files.readString(dir.resolve("a").resolve(BatchJob.ERRORS)).contains("missing.png"), "the reasons are written anyway");
        assertTrue(Files.isDirectory(dir.resolve("a/00000-still-s1")), "and the good row");
        assertEquals(0, SparkMain.run("batch", "--model", MODEL, "--pairs", p.toString(), "--out", dir.resolve("b").toString(),
                "--format", "png", "--max-failed", "1"));
        assertEquals(0, SparkMain.run("batch", "--model", MODEL, "--pairs", p.toString(), "--out", dir.resolve("c").toString(),
                "--format", "png", "--max-failed", "50%"));
        assertEquals(SparkMain.EXIT_ROWS_FAILED, SparkMain.run("batch", "--model", MODEL, "--pairs", p.toString(),
                "--out", dir.resolve("d").toString(), "--format", "png", "--max-failed", "0.4"));
        assertEquals(2, SparkMain.run("batch", "--model", MODEL, "--pairs", p.toString(), "--out", dir.resolve("e").toString(),
                "--max-failed", "lots"));
        assertFalse(Files.exists(dir.resolve("e")), "nothing written for a bad option");
        assertEquals(2, BatchJob.allowedFailures("5%", 40));
        assertEquals(1, BatchJob.allowedFailures("0.025", 40));
        assertEquals(2, BatchJob.allowedFailures("0.05", 40));
        assertEquals(7, BatchJob.allowedFailures("7", 40));
    }

    @Test
    void anOutOfMemoryRowIsReportedAKilledTasksRowsCountAsWrittenAndAFormatChangeIsWritten(@TempDir Path dir) throws IOException {
        Files.copy(STILL, dir.resolve("still.png"));
        Path p = pairs(dir, "image,samples,seed,frames",
                "still.png,1,1,8", "still.png,1,2,8", "still.png,2,3,8", "still.png,1,4,8");
        Path out = dir.resolve("out");
        AtomicInteger kills = new AtomicInteger();
        BatchJob.beforeRow = row -> {
            if (row.index() == 1) throw new OutOfMemoryError("Java heap space (test)");
            // Row 3's task dies in its first attempt, after it published row 2: the retry finds row 2 there.
            if (row.index() == 3 && TaskContext.get() != null && TaskContext.get().attemptNumber() == 0) {
                kills.incrementAndGet();
                throw new Error("task killed (test)");
            }
        };
        BatchJob.Summary s;
        try {
            s = batch(p, out, "png");
        } finally {
            BatchJob.beforeRow = null;
        }
        assertEquals(1, kills.get(), "row 3's first attempt was killed");
        assertEquals(1, s.failed(), s.rows().toString());
        assertTrue(s.rows().get(1).reason().contains("out of memory"), s.rows().get(1).reason());
        assertTrue(Files.readString(out.resolve(BatchJob.ERRORS)).contains("out of memory"));
        assertEquals(3, s.written(), "rows this job wrote, by whichever attempt: " + s.rows());
        assertEquals(0, s.skipped());
        // A re-run in another format writes every row in it (folders of PNGs are not GIFs); then all are there.
        BatchJob.Summary gif = batch(p, out, "gif");
        assertEquals(4, gif.written(), gif.rows().toString());
        assertTrue(Files.isRegularFile(out.resolve("00002-still-s3/sample-01.gif")) && Files.isRegularFile(out.resolve("00002-still-s3/sample-01.png")));
        assertEquals(4, batch(p, out, "gif").skipped());
        // A folder with one of its two samples gone is completed, the other left as it was.
        byte[] kept = Files.readAllBytes(out.resolve("00002-still-s3/sample-00.gif"));
        Files.delete(out.resolve("00002-still-s3/sample-01.gif"));
        BatchJob.Summary mend = batch(p, out, "gif");
        assertEquals(1, mend.written());
        assertArrayEquals(kept, Files.readAllBytes(out.resolve("00002-still-s3/sample-00.gif")));
        assertTrue(Files.isRegularFile(out.resolve("00002-still-s3/sample-01.gif")));
    }

    @Test
    void theDatasetApiTakesParquetRowsAndAnswersResultsToJoinOnTheKey(@TempDir Path dir) throws IOException {
        Files.copy(STILL, dir.resolve("still.png"));
        Path jack = driving("class3_00000044.png");
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("id", "long").add("image", "string").add("driving", "string");
        List<org.apache.spark.sql.Row> rows = List.of(
                org.apache.spark.sql.RowFactory.create(41L, "still.png", jack.toString()),
                org.apache.spark.sql.RowFactory.create(42L, "missing.png", jack.toString()));
        Path parquet = dir.resolve("pairs.parquet");
        spark.createDataFrame(rows, schema).write().parquet(parquet.toString());
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> pairs = spark.read().parquet(parquet.toString());

        DualMtganSpark.Options o = new DualMtganSpark.Options(MODEL, dir.resolve("out").toString());
        o.key = "id";
        o.base = dir.toString();
        o.maxFailed = "1";
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> results = DualMtganSpark.transfer(pairs, o);
        assertEquals(DualMtganSpark.RESULTS, results.schema());
        List<org.apache.spark.sql.Row> joined = pairs.join(results, pairs.col("id").cast("string").equalTo(results.col("key")))
                .orderBy("id").select("id", "status", "output", "videos", "frames", "error").collectAsList();
        assertEquals(2, joined.size(), joined.toString());
        assertEquals("written", joined.get(0).getString(1));
        Path written = Path.of(java.net.URI.create(joined.get(0).getString(2)));
        assertTrue(Files.isRegularFile(written), written.toString());
        assertEquals(1, joined.get(0).getInt(3));
        assertTrue(joined.get(0).getInt(4) > 8, "frames of the whole driving clip: " + joined.get(0));
        assertEquals("failed", joined.get(1).getString(1));
        assertTrue(joined.get(1).getString(5).contains("missing.png"), joined.get(1).toString());
        // The same bytes as the command line's batch over the same rows from the Parquet file.
        assertEquals(SparkMain.EXIT_ROWS_FAILED, SparkMain.run("batch", "--model", MODEL, "--pairs", parquet.toString(),
                "--out", dir.resolve("cli").toString()));
        assertArrayEquals(Files.readAllBytes(written), Files.readAllBytes(dir.resolve("cli").resolve(written.getFileName())));
        // generate refuses a driving column; transfer needs one.
        assertThrows(org.dualmtgan.InvalidInputException.class, () -> DualMtganSpark.generate(pairs, o));
        assertThrows(org.dualmtgan.InvalidInputException.class, () -> DualMtganSpark.transfer(pairs.drop("driving"), o));
    }
}
