package org.dualmtgan.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.MediaWriter.OutputFormat;
import org.dualmtgan.media.Video;
import org.dualmtgan.util.AtomicFiles;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code dualmtgan-spark batch}: every row of a pairs file (see {@link BatchRow}) animated on the
 * cluster, one output per row in {@code OUT}, written exactly as the CLI writes it: a transfer row
 * gives {@code OUT/NAME.FMT} (as {@code dualmtgan transfer --out}), a generation row the folder
 * {@code OUT/NAME} of {@code sample-00.FMT ...} (as {@code dualmtgan generate --out}).
 *
 * <p>Each executor JVM loads the model once ({@link ExecutorModels}); rows are seeded by the row,
 * never by the executor, so a retried task writes the same bytes; outputs are published under a
 * temporary name and renamed ({@link HadoopFiles#publish}); a row whose output exists is skipped, so
 * a re-run finishes what an earlier one left. A bad row (missing or unreadable file, bad cell) does
 * not fail the job: it is listed with its reason in {@code OUT/_errors.csv}. {@code OUT/_report.json}
 * holds the counts and where the time went.
 */
public final class BatchJob {
    public static final String ERRORS = "_errors.csv";
    public static final String REPORT = "_report.json";
    static final List<String> COLUMNS = List.of("image", "driving", "samples", "seed", "frames", "name");

    /** What to run. */
    public static final class Options {
        /** A bundled model's name, or a checkpoint (local or Hadoop path) every executor can read. */
        public String model;
        /** The pairs file (CSV with a header line). */
        public String pairs;
        /** The output folder. */
        public String out;
        /** gif, mp4, avi, png (a strip) or frames, as the CLI's --format. */
        public String format = "gif";
        /** Partitions of the rows (0: the context's default parallelism). */
        public int partitions;
        /** Failed rows the job tolerates: a count ("3") or a fraction of the rows ("0.05", "5%"); default none. */
        public String maxFailed = "0";
        /** An input column whose value each row's result keeps ({@link Summary#keys}); none by default. */
        public String key;
    }

    /** The most failed rows {@code spec} allows of {@code rows} ("3", "0.05" or "5%"). */
    static long allowedFailures(String spec, long rows) {
        String t = spec == null ? "0" : spec.trim();
        try {
            if (t.endsWith("%")) {
                double f = Double.parseDouble(t.substring(0, t.length() - 1)) / 100;
                if (f < 0 || f > 1) throw new NumberFormatException();
                return (long) Math.floor(f * rows + 1e-9);
            }
            if (t.contains(".")) {
                double f = Double.parseDouble(t);
                if (f < 0 || f > 1) throw new NumberFormatException();
                return (long) Math.floor(f * rows + 1e-9);
            }
            long n = Long.parseLong(t);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--max-failed must be a count (3), a fraction (0.05) or a percentage (5%), got '" + spec + "'");
        }
    }

    /**
     * The outcome: every row's result (in row order), the counts, the wall time, and whether the
     * failed rows stayed within {@link Options#maxFailed}.
     */
    public record Summary(List<RowResult> rows, int written, int skipped, int failed, double wallSeconds, Map<String, Object> report,
                          boolean withinMaxFailed, List<String> keys) {}

    /** The rows of a pairs file or Dataset, and the {@link Options#key} column's value of each (or null). */
    record Pairs(List<BatchRow> rows, List<String> keys) {}

    /** A column name as the job matches it: without spaces around it, in lower case. */
    static String column(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    }

    private BatchJob() {}

    /**
     * The batch of a pairs file: CSV with a header line, or Parquet (a {@code .parquet} file or a
     * folder of part files); relative paths in it are taken from its folder.
     */
    public static Summary run(SparkSession spark, Options o) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        if (o.pairs == null || o.pairs.isBlank()) throw new InvalidInputException("--pairs is required");
        Path pairsPath = new Path(o.pairs);
        pairsPath = HadoopFiles.fs(pairsPath, conf).makeQualified(pairsPath);
        boolean parquet = o.pairs.endsWith(".parquet") || o.pairs.endsWith(".parquet/");
        if (!HadoopFiles.exists(pairsPath, conf) || (!parquet && HadoopFiles.fs(pairsPath, conf).getFileStatus(pairsPath).isDirectory())) {
            throw new InvalidInputException(java.nio.file.Path.of(o.pairs), "pairs file not found");
        }
        Dataset<Row> df;
        try {
            df = parquet ? spark.read().parquet(pairsPath.toString())
                    : spark.read().option("header", "true").option("mode", "PERMISSIVE").csv(pairsPath.toString());
        } catch (RuntimeException e) {
            throw new InvalidInputException(java.nio.file.Path.of(o.pairs), "cannot be read as " + (parquet ? "Parquet" : "CSV") + ": " + e.getMessage());
        }
        return execute(spark, df, pairsPath.getParent(), o, java.nio.file.Path.of(pairsPath.toUri().getPath()));
    }

    static void validate(Options o) {
        OutputFormat.named(o.format);
        if (o.model == null || o.model.isBlank()) throw new InvalidInputException("--model is required");
        if (o.out == null || o.out.isBlank()) throw new InvalidInputException("--out is required");
        if (o.partitions < 0) throw new InvalidInputException("--partitions must be >= 0, got " + o.partitions);
        allowedFailures(o.maxFailed, 0); // checked before any work
    }

    /**
     * The batch of the rows of {@code df} (columns as a pairs file's), relative paths taken from
     * {@code base}; {@code source} names the input in messages. Writes the outputs, {@code _errors.csv}
     * and {@code _report.json} in {@code o.out}.
     */
    static Summary execute(SparkSession spark, Dataset<Row> df, Path base, Options o, java.nio.file.Path source) throws IOException {
        long t0 = System.nanoTime();
        validate(o);
        OutputFormat format = OutputFormat.named(o.format);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path outPath = new Path(o.out);
        outPath = HadoopFiles.fs(outPath, conf).makeQualified(outPath);
        if (HadoopFiles.exists(outPath, conf) && !HadoopFiles.fs(outPath, conf).getFileStatus(outPath).isDirectory()) {
            throw new InvalidInputException(java.nio.file.Path.of(o.out), "exists and is not a folder");
        }
        // The model is checked here, before any task: a bad --model is the user's error, not a row's.
        double driverLoad = ExecutorModels.get(o.model, conf).loadSeconds();
        ExecutorModels.ship(spark, o.model);

        Pairs pairs = readPairs(df, base, conf, source, o.key);
        List<BatchRow> rows = pairs.rows();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = Math.max(1, Math.min(rows.size(), o.partitions > 0 ? o.partitions : jsc.defaultParallelism()));
        String model = o.model;
        String out = outPath.toString();
        // Rows complete before the job are "skipped"; a row a killed attempt of this job wrote is
        // reported by the retry as there, and counted here as written.
        java.util.Set<Long> there = new java.util.HashSet<>();
        for (BatchRow r : rows) if (r.problem() == null && complete(r, outPath, format, conf)) there.add(r.index());
        JavaRDD<BatchRow> rdd = jsc.parallelize(rows, partitions);
        // Tasks see the job's Hadoop configuration (spark.hadoop.* settings, mount tables, credentials).
        org.apache.spark.broadcast.Broadcast<java.util.HashMap<String, String>> taskConf = jsc.broadcast(HadoopFiles.snapshot(conf));
        // Progress in the Spark UI (the stage's accumulators) while the job runs.
        org.apache.spark.util.LongAccumulator doneRows = jsc.sc().longAccumulator("dualmtgan rows written");
        org.apache.spark.util.LongAccumulator skippedRows = jsc.sc().longAccumulator("dualmtgan rows skipped");
        org.apache.spark.util.LongAccumulator failedRows = jsc.sc().longAccumulator("dualmtgan rows failed");
        List<RowResult> results = new ArrayList<>(rdd.mapPartitions(it -> runPartition(it, model, out, format,
                HadoopFiles.configuration(taskConf.value()), doneRows, skippedRows, failedRows).iterator()).collect());
        results.sort(Comparator.comparingLong(RowResult::index));
        for (int k = 0; k < results.size(); k++) {
            RowResult r = results.get(k);
            if (r.status() == RowResult.Status.SKIPPED && !there.contains(r.index())) {
                results.set(k, new RowResult(r.index(), r.name(), r.image(), r.driving(), RowResult.Status.WRITTEN, null,
                        r.modelSeconds(), r.decodeSeconds(), r.inferSeconds(), r.encodeSeconds(), r.frames(), r.output(), r.videos()));
            }
        }

        int written = 0, skipped = 0, failed = 0;
        long videos = 0;
        double modelS = 0, decodeS = 0, inferS = 0, encodeS = 0;
        for (RowResult r : results) {
            switch (r.status()) {
                case WRITTEN -> {
                    written++;
                    videos += r.videos();
                }
                case SKIPPED -> skipped++;
                case FAILED -> failed++;
            }
            modelS += r.modelSeconds();
            decodeS += r.decodeSeconds();
            inferS += r.inferSeconds();
            encodeS += r.encodeSeconds();
        }
        // Killed attempts may have left copies under temporary names; no task of this job runs now.
        HadoopFiles.sweepTemporaries(outPath, conf);
        double wall = (System.nanoTime() - t0) / 1e9;
        HadoopFiles.writeString(new Path(outPath, ERRORS), errorsCsv(results), conf);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", o.model);
        report.put("pairs", o.pairs);
        report.put("format", format.name().toLowerCase(Locale.ROOT));
        report.put("master", spark.sparkContext().master());
        report.put("partitions", partitions);
        report.put("rows", results.size());
        report.put("written", written);
        report.put("skipped", skipped);
        report.put("failed", failed);
        long allowed = allowedFailures(o.maxFailed, results.size());
        report.put("maxFailed", allowed);
        report.put("withinMaxFailed", failed <= allowed);
        report.put("videosWritten", videos);
        report.put("wallSeconds", wall);
        report.put("videosPerSecond", videos / wall);
        report.put("driverModelLoadSeconds", driverLoad);
        Map<String, Object> time = new LinkedHashMap<>();
        // Summed over tasks; in local mode the executors share the driver's JVM and its model.
        time.put("modelLoadSeconds", modelS);
        time.put("decodeSeconds", decodeS);
        time.put("inferenceSeconds", inferS);
        time.put("encodeSeconds", encodeS);
        report.put("taskSeconds", time);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        HadoopFiles.writeString(new Path(outPath, REPORT), json.writeValueAsString(report) + "\n", conf);
        return new Summary(results, written, skipped, failed, wall, report, failed <= allowed, pairs.keys());
    }

    /**
     * The rows of {@code df} (collected once), numbered from 0, with relative paths resolved against
     * {@code base}, and each row's {@code keyColumn} value when one is named.
     */
    static Pairs readPairs(Dataset<Row> df, Path base, Configuration conf, java.nio.file.Path source, String keyColumn) throws IOException {
        // "image, driving" names the columns "image" and "driving": spaces around a name do not
        // make another column (they silently turned transfers into generations).
        List<String> header = new ArrayList<>();
        for (String c : df.columns()) {
            String name = column(c);
            if (!name.isEmpty() && header.contains(name) && COLUMNS.contains(name)) {
                throw new InvalidInputException(source, "pairs file names column '" + name + "' twice (header: " + String.join(",", df.columns()) + ")");
            }
            header.add(name);
        }
        if (!header.contains("image")) {
            throw new InvalidInputException(source,
                    "pairs file has no 'image' column (header: " + String.join(",", df.columns()) + "; expected " + String.join(",", COLUMNS) + ")");
        }
        int key = keyColumn == null ? -1 : header.indexOf(column(keyColumn));
        if (keyColumn != null && key < 0) {
            throw new InvalidInputException(source, "no key column '" + keyColumn + "' (header: " + String.join(",", df.columns()) + ")");
        }
        List<BatchRow> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        long i = 0;
        for (Row r : df.collectAsList()) {
            keys.add(key < 0 || r.isNullAt(key) ? null : String.valueOf(r.get(key)));
            BatchRow row = BatchRow.parse(i++, cell(r, header, "image"), cell(r, header, "driving"), cell(r, header, "samples"),
                    cell(r, header, "seed"), cell(r, header, "frames"), cell(r, header, "name"));
            if (row.problem() == null) {
                row = new BatchRow(row.index(), row.name(), HadoopFiles.resolve(base, row.image(), conf).toString(),
                        row.driving() == null ? null : HadoopFiles.resolve(base, row.driving(), conf).toString(),
                        row.samples(), row.seed(), row.frames(), null);
            }
            out.add(row);
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < out.size(); k++) {
            BatchRow r = out.get(k);
            if (r.problem() == null && names.contains(r.name())) {
                out.set(k, new BatchRow(r.index(), r.name(), r.image(), r.driving(), r.samples(), r.seed(), r.frames(),
                        "name '" + r.name() + "' is used by an earlier row"));
            }
            names.add(r.name());
        }
        return new Pairs(out, keys);
    }

    private static String cell(Row r, List<String> header, String column) {
        int i = header.indexOf(column);
        // Parquet columns may be numbers (samples, seed, frames): their text is what a CSV cell holds.
        return i < 0 || r.isNullAt(i) ? null : String.valueOf(r.get(i));
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchJob.class);

    /**
     * Runs the rows of one task: the model from this JVM's cache, a scratch folder removed at the
     * end; adds the outcomes to the job's accumulators (the Spark UI's progress) and logs one line.
     */
    static List<RowResult> runPartition(Iterator<BatchRow> rows, String model, String out, OutputFormat format,
                                        Configuration conf, org.apache.spark.util.LongAccumulator written,
                                        org.apache.spark.util.LongAccumulator skipped, org.apache.spark.util.LongAccumulator failed) throws IOException {
        long t0 = System.nanoTime();
        List<RowResult> done = runPartition(rows, model, out, format, conf);
        long w = done.stream().filter(r -> r.status() == RowResult.Status.WRITTEN).count();
        long s = done.stream().filter(r -> r.status() == RowResult.Status.SKIPPED).count();
        long f = done.size() - w - s;
        written.add(w);
        skipped.add(s);
        failed.add(f);
        org.apache.spark.TaskContext tc = org.apache.spark.TaskContext.get();
        LOG.info(String.format(Locale.ROOT, "partition %d (attempt %d): %d rows, %d written, %d skipped, %d failed in %.1f s",
                tc == null ? -1 : tc.partitionId(), tc == null ? 0 : tc.attemptNumber(), done.size(), w, s, f, (System.nanoTime() - t0) / 1e9));
        return done;
    }

    static List<RowResult> runPartition(Iterator<BatchRow> rows, String model, String out, OutputFormat format,
                                        Configuration conf) throws IOException {
        ExecutorModels.Loaded loaded = ExecutorModels.get(model, conf);
        double modelSeconds = loaded.loadSeconds();
        java.nio.file.Path scratch = Files.createTempDirectory("dualmtgan-spark-task-");
        List<RowResult> results = new ArrayList<>();
        try {
            while (rows.hasNext()) {
                results.add(runRow(rows.next(), loaded.animator(), new Path(out), format, scratch, conf, modelSeconds));
                modelSeconds = 0;
            }
        } finally {
            AtomicFiles.deleteRecursively(scratch);
        }
        return results;
    }

    /** Test hook: called with each row before its work (local mode runs tasks in the test's JVM). */
    static volatile java.util.function.Consumer<BatchRow> beforeRow;

    /** Where a row's outputs go: a transfer's one file, or a generation's files in its folder. */
    static List<Path> outputs(BatchRow row, Path out, OutputFormat format) {
        if (row.isTransfer()) return List.of(new Path(out, format.fileName(row.name())));
        Path dir = new Path(out, row.name());
        List<Path> files = new ArrayList<>();
        for (String n : MediaWriter.numbered("sample", row.samples())) files.add(new Path(dir, format.fileName(n)));
        return files;
    }

    /** What a row's result names as its output: the transfer's file, or the generation's folder. */
    private static Path output(BatchRow row, List<Path> dests) {
        return row.isTransfer() ? dests.get(0) : dests.get(0).getParent();
    }

    /** Whether every output of {@code row} is there (in this format: another format's files do not count). */
    static boolean complete(BatchRow row, Path out, OutputFormat format, Configuration conf) throws IOException {
        for (Path p : outputs(row, out, format)) if (!HadoopFiles.exists(p, conf)) return false;
        return true;
    }

    static RowResult runRow(BatchRow row, Animator animator, Path out, OutputFormat format, java.nio.file.Path scratch,
                            Configuration conf, double modelSeconds) {
        if (row.problem() != null) return failed(row, row.problem(), modelSeconds, 0, 0, 0);
        List<Path> dests = outputs(row, out, format);
        double decode = 0, infer = 0, encode = 0;
        try {
            if (complete(row, out, format, conf)) {
                return new RowResult(row.index(), row.name(), row.image(), row.driving(), RowResult.Status.SKIPPED, null,
                        modelSeconds, 0, 0, 0, 0, output(row, dests).toString(), dests.size());
            }
            java.nio.file.Path work = Files.createTempDirectory(scratch, "row-");
            try {
                if (beforeRow != null) beforeRow.accept(row);
                long t = System.nanoTime();
                java.nio.file.Path image = HadoopFiles.local(new Path(row.image()), work, conf);
                Video y = MediaReader.readFirstFrames(image, 1, animator.size());
                Video v = null;
                if (row.isTransfer()) {
                    java.nio.file.Path driving = HadoopFiles.local(new Path(row.driving()), work, conf);
                    v = MediaReader.readForModel(driving, animator.size(), 0, null);
                }
                decode = seconds(t);
                t = System.nanoTime();
                List<Video> videos = row.isTransfer() ? List.of(animator.transfer(y, v))
                        : animator.generate(y, row.samples(), row.seed(), row.frames() > 0 ? row.frames() : animator.clipLength());
                infer = seconds(t);
                t = System.nanoTime();
                // Each output is published on its own (temporary name, rename): a generation folder
                // killed half-way, or holding another format, is completed by the next run.
                boolean published = false;
                for (int i = 0; i < dests.size(); i++) {
                    Path dest = dests.get(i);
                    if (HadoopFiles.exists(dest, conf)) continue;
                    java.nio.file.Path local = work.resolve(dest.getName());
                    MediaWriter.write(videos.get(i), local, format);
                    published |= HadoopFiles.publish(local, dest, conf);
                }
                encode = seconds(t);
                return new RowResult(row.index(), row.name(), row.image(), row.driving(),
                        published ? RowResult.Status.WRITTEN : RowResult.Status.SKIPPED, null, modelSeconds, decode, infer, encode,
                        videos.get(0).frames(), output(row, dests).toString(), dests.size());
            } finally {
                AtomicFiles.deleteRecursively(work);
            }
        } catch (InvalidInputException e) {
            return failed(row, e.getMessage(), modelSeconds, decode, infer, encode);
        } catch (IOException | UncheckedIOException e) {
            return failed(row, e.getMessage(), modelSeconds, decode, infer, encode);
        } catch (OutOfMemoryError e) {
            // The row's arrays are garbage now; the task goes on with the next row, and the row is
            // reported rather than killing the executor and failing the job on every retry.
            return failed(row, "out of memory (" + e.getMessage() + "): give the executors more memory "
                    + "(spark.executor.memory) or run this row alone", modelSeconds, decode, infer, encode);
        } catch (RuntimeException e) {
            return failed(row, "internal error: " + e, modelSeconds, decode, infer, encode);
        }
    }

    private static RowResult failed(BatchRow row, String reason, double modelS, double decodeS, double inferS, double encodeS) {
        return new RowResult(row.index(), row.name(), row.image(), row.driving(), RowResult.Status.FAILED, reason,
                modelS, decodeS, inferS, encodeS, 0, null, 0);
    }

    /** The failed rows: row number (from 0, after the header), output name, inputs and the reason. */
    static String errorsCsv(List<RowResult> results) {
        StringWriter sw = new StringWriter();
        CsvWriter w = new CsvWriter(sw, new CsvWriterSettings());
        w.writeHeaders("row", "name", "image", "driving", "reason");
        for (RowResult r : results) {
            if (r.status() != RowResult.Status.FAILED) continue;
            w.writeRow(Long.toString(r.index()), r.name(), r.image(), r.driving() == null ? "" : r.driving(), r.reason());
        }
        w.close();
        return sw.toString();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
