package org.dualmtgan.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.cli.EvalCommand;
import org.dualmtgan.cli.Main;
import org.dualmtgan.eval.EvalData;
import org.dualmtgan.eval.EvalReport;
import org.dualmtgan.eval.EvalResult;
import org.dualmtgan.eval.Evaluation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dualmtgan-spark}: batch synthesis and evaluation on Apache Spark (docs/spark.md). */
@Command(name = "dualmtgan-spark", mixinStandardHelpOptions = true, versionProvider = SparkMain.Version.class,
        description = "Dual-MTGAN on Apache Spark: animate a whole pairs file, or evaluate on a whole dataset.",
        subcommands = {SparkMain.Batch.class, SparkMain.Eval.class})
public final class SparkMain implements Runnable {
    /** Exit status of a batch whose failed rows exceed --max-failed (outputs, _errors.csv and _report.json are written). */
    public static final int EXIT_ROWS_FAILED = 3;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        return Main.withHandlers(new CommandLine(new SparkMain())).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --master}, {@code --conf} and {@code --partitions}, shared by both commands. */
    static final class SparkOptions {
        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master (local[2], spark://host:7077, yarn, k8s://..., local-cluster[N,C,MB]). Default: the one spark-submit sets, else local[*].")
        String master;

        @Option(names = "--conf", paramLabel = "KEY=VALUE",
                description = "A Spark setting, as spark-submit's --conf (repeatable): spark.executor.memory=4g, spark.hadoop.fs.s3a.endpoint=..., ...")
        List<String> confs = new java.util.ArrayList<>();

        @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
                description = "Tasks to split the rows or clips into (0: the default parallelism). Default: ${DEFAULT-VALUE}.")
        int partitions;

        /** True when this JVM has no session yet: the command then owns the one it makes and stops it. */
        boolean ownsSession() {
            return SparkSession.getDefaultSession().isEmpty();
        }

        SparkSession session() {
            SparkConf conf = new SparkConf().setAppName("dualmtgan-spark");
            for (String kv : confs) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new InvalidInputException("--conf takes KEY=VALUE, got '" + kv + "'");
                conf.set(kv.substring(0, eq).trim(), kv.substring(eq + 1));
            }
            if (master != null) conf.setMaster(master);
            else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
            Launch.configure(conf, Launch.shippedJars(SparkMain.class));
            SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
            scala.Option<String> ui = spark.sparkContext().uiWebUrl();
            if (ui.isDefined()) System.err.println("Spark UI: " + ui.get() + " (spark.ui.port; --conf spark.ui.enabled=false turns it off)");
            return spark;
        }
    }

    @Command(name = "batch", mixinStandardHelpOptions = true,
            description = {"Animate every row of a pairs file: one output per row in OUT, as the CLI writes it.",
                    "Rows are (image, driving) for transfer or (image, samples, seed) for generation; a header",
                    "line names the columns (image, driving, samples, seed, frames, name). Relative paths are",
                    "taken from the pairs file's folder (CSV, or Parquet: a .parquet file or folder). Bad rows are listed in OUT/_errors.csv; rows whose",
                    "output exists are skipped; OUT/_report.json has the counts and timings."},
            footer = {"", "Example:",
                    "  dualmtgan-spark batch --model weizmann-64 --pairs pairs.csv --out out/batch --master local[2]"})
    static final class Batch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", paramLabel = "M", required = true,
                description = "A bundled model's name or a checkpoint path every executor can read (local, hdfs://, ...).")
        String model;

        @Option(names = "--pairs", paramLabel = "CSV", required = true, description = "The pairs file.")
        String pairs;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (local or Hadoop path).")
        String out;

        @Option(names = "--format", paramLabel = "FMT", defaultValue = "gif",
                description = "gif, mp4, avi, png (a strip) or frames. Default: ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--max-failed", paramLabel = "N", defaultValue = "0",
                description = "Failed rows the job tolerates before it exits 3: a count (3), a fraction (0.05) or a percentage (5%%). Default: ${DEFAULT-VALUE}.")
        String maxFailed;

        @CommandLine.Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() throws IOException {
            BatchJob.Options o = new BatchJob.Options();
            o.maxFailed = maxFailed;
            o.model = model;
            o.pairs = pairs;
            o.out = out;
            o.format = format;
            o.partitions = sparkOptions.partitions;
            boolean owned = sparkOptions.ownsSession();
            SparkSession spark = sparkOptions.session();
            try {
                BatchJob.Summary s = BatchJob.run(spark, o);
                PrintWriter w = spec.commandLine().getOut();
                w.printf(Locale.ROOT, "%s: %d rows, %d written, %d skipped (already there), %d failed%s; %.1f s, %.3f videos/s%n",
                        out, s.rows().size(), s.written(), s.skipped(), s.failed(),
                        s.failed() > 0 ? " (see " + BatchJob.ERRORS + ")" : "", s.wallSeconds(),
                        ((Number) s.report().get("videosPerSecond")).doubleValue());
                w.flush();
                if (!s.withinMaxFailed()) {
                    spec.commandLine().getErr().printf(Locale.ROOT, "error: %d of %d rows failed, more than --max-failed %s allows (%s); reasons in %s%n",
                            s.failed(), s.rows().size(), maxFailed, s.report().get("maxFailed"), out + "/" + BatchJob.ERRORS);
                    return EXIT_ROWS_FAILED;
                }
                return Main.EXIT_OK;
            } finally {
                if (owned) {
                    spark.stop();
                    ExecutorModels.closeAll();
                }
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Evaluate a model with one of the protocols of docs/method.md, clips scored on the executors.",
                    "Writes the same OUT.md, OUT.csv, OUT.json and OUT-ssim-per-frame.png as `dualmtgan eval`."},
            footer = {"", "Example:",
                    "  dualmtgan-spark eval --model weizmann-64 --protocol stochastic --samples 100 --master local[2]"})
    static final class Eval implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", paramLabel = "M", required = true,
                description = "A bundled model's name or a checkpoint path every executor can read.")
        String model;

        @Option(names = "--protocol", paramLabel = "P", required = true, description = "stochastic, transfer or reconstruction.")
        String protocol;

        @Option(names = "--data", paramLabel = "DIR",
                description = "Clips to evaluate: a dataset folder (all its videos; a path or a file: URI) on the driver. Default: the model's held-out test subset.")
        String data;

        /** --data as a local folder: a path or a file: URI; other schemes are refused by name. */
        static Path localData(String data) {
            if (data == null) return null;
            java.net.URI u;
            try {
                u = new java.net.URI(data);
            } catch (java.net.URISyntaxException e) {
                return Path.of(data);
            }
            if (u.getScheme() == null || u.getScheme().length() == 1) return Path.of(data); // a path (or a drive letter)
            if (u.getScheme().equals("file")) return Path.of(u.getPath());
            throw new InvalidInputException("--data " + data + ": eval reads its clips on the driver from a local folder"
                    + " (a path or a file: URI); copy the dataset there (hdfs dfs -get, aws s3 cp) first");
        }

        @CommandLine.Mixin
        EvalCommand.EvalOptions options;

        @Option(names = "--out", paramLabel = "FILE", description = "Output base name. Default: out/eval/MODEL-PROTOCOL.")
        Path out;

        @CommandLine.Mixin
        SparkOptions sparkOptions;

        @Override
        public Integer call() throws IOException {
            String p = protocol.trim().toLowerCase(Locale.ROOT);
            if (!Evaluation.PROTOCOLS.contains(p)) {
                throw new InvalidInputException("unknown --protocol '" + protocol + "' (expected " + String.join(", ", Evaluation.PROTOCOLS) + ")");
            }
            EvalData.Selection s = options.selection(localData(data));
            Evaluation.Options o = options.evaluation(new PrintWriter(java.io.Writer.nullWriter()));
            if (o.lpips != null) throw new InvalidInputException("--lpips is not offered on Spark: use dualmtgan eval");
            long t0 = System.nanoTime();
            boolean owned = sparkOptions.ownsSession();
            SparkSession spark = sparkOptions.session();
            try {
                EvalResult r = SparkEval.run(spark, model, p, s, new SparkEval.Settings(o.samples, o.cond, o.seed, o.maxPairs), sparkOptions.partitions);
                var info = ExecutorModels.get(model, spark.sparkContext().hadoopConfiguration()).animator().info();
                String name = info != null && info.config != null && info.config.name != null ? info.config.name : "model";
                Path base = EvalReport.base(out != null ? out : Path.of("out", "eval", name + "-" + p));
                List<Path> files = EvalReport.write(r, base);
                PrintWriter w = spec.commandLine().getOut();
                w.print(EvalReport.markdown(r));
                w.printf(Locale.ROOT, "wrote %s (%.1f s)%n", String.join(", ", files.stream().map(Path::toString).toList()),
                        (System.nanoTime() - t0) / 1e9);
                w.flush();
                return Main.EXIT_OK;
            } finally {
                if (owned) {
                    spark.stop();
                    ExecutorModels.closeAll();
                }
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SparkMain.class.getPackage().getImplementationVersion();
            return new String[] {"dualmtgan-spark " + (v != null ? v : "(development build)") + ", Apache Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()};
        }
    }
}
