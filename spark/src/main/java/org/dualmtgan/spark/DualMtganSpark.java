package org.dualmtgan.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.dualmtgan.InvalidInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The batch jobs as a Java API on Datasets: rows from Parquet, a table or any DataFrame go in, a
 * Dataset of results comes out, to join back on the row's key. The outputs are written as
 * {@code dualmtgan-spark batch} writes them (it is a layer over the same code), with
 * {@code _errors.csv} and {@code _report.json} in the output folder. The call runs the job: the
 * returned Dataset holds results, not a plan that would animate again when counted twice.
 *
 * <pre>{@code
 * Dataset<Row> pairs = spark.read().parquet("hdfs:///jobs/pairs.parquet");      // image, driving, id
 * DualMtganSpark.Options o = new DualMtganSpark.Options("weizmann-64", "hdfs:///jobs/out");
 * o.key = "id";
 * Dataset<Row> results = DualMtganSpark.transfer(pairs, o);
 * pairs.join(results, pairs.col("id").equalTo(results.col("key"))).show();
 * }</pre>
 */
public final class DualMtganSpark {
    private DualMtganSpark() {}

    /** The results' columns. */
    public static final StructType RESULTS = new StructType()
            .add("row", DataTypes.LongType, false)
            .add("key", DataTypes.StringType, true)
            .add("name", DataTypes.StringType, false)
            .add("output", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("videos", DataTypes.IntegerType, false)
            .add("frames", DataTypes.IntegerType, false)
            .add("seconds", DataTypes.DoubleType, false)
            .add("error", DataTypes.StringType, true);

    /** What to run with; the fields of {@code dualmtgan-spark batch}'s options, and the key column. */
    public static final class Options {
        /** A bundled model's name, or a checkpoint every executor can read. */
        public String model;
        /** The output folder (local or Hadoop path). */
        public String out;
        /** gif (default), mp4, avi, png (a strip) or frames. */
        public String format = "gif";
        /** Tasks (0: the default parallelism). */
        public int partitions;
        /** The input column whose value each result carries as {@code key}; default {@code name} when there is one. */
        public String key;
        /** The folder relative image and video paths are taken from; default the working folder. */
        public String base;
        /** Failed rows tolerated (a count, a fraction or a percentage); the result says whether they were exceeded. */
        public String maxFailed = "0";

        public Options() {}

        public Options(String model, String out) {
            this.model = model;
            this.out = out;
        }
    }

    /** Motion transfer of every row (columns {@code image} and {@code driving}, optional {@code name}). */
    public static Dataset<Row> transfer(Dataset<Row> pairs, Options o) throws IOException {
        if (!has(pairs, "driving")) throw new InvalidInputException("transfer needs a 'driving' column (columns: " + Arrays.toString(pairs.columns()) + ")");
        return animate(pairs, o);
    }

    /** Stochastic generation for every row (columns {@code image}, optional {@code samples}, {@code seed}, {@code frames}, {@code name}). */
    public static Dataset<Row> generate(Dataset<Row> images, Options o) throws IOException {
        if (has(images, "driving")) throw new InvalidInputException("generate takes no 'driving' column: use transfer, or animate for a mix");
        return animate(images, o);
    }

    /** Each row a transfer (with {@code driving}) or a generation (without), as in a pairs file. */
    public static Dataset<Row> animate(Dataset<Row> rows, Options o) throws IOException {
        SparkSession spark = rows.sparkSession();
        BatchJob.Options b = new BatchJob.Options();
        b.model = o.model;
        b.out = o.out;
        b.format = o.format;
        b.partitions = o.partitions;
        b.maxFailed = o.maxFailed;
        b.key = o.key != null ? o.key : has(rows, "name") ? "name" : null;
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path base = new Path(o.base != null ? o.base : System.getProperty("user.dir"));
        base = HadoopFiles.fs(base, conf).makeQualified(base);
        BatchJob.Summary s = BatchJob.execute(spark, rows, base, b, java.nio.file.Path.of("(dataset)"));
        List<Row> result = new ArrayList<>();
        for (RowResult r : s.rows()) {
            result.add(RowFactory.create(r.index(), s.keys().get((int) r.index()), r.name(), r.output(),
                    r.status().name().toLowerCase(Locale.ROOT), r.videos(), r.frames(),
                    r.decodeSeconds() + r.inferSeconds() + r.encodeSeconds(), r.reason()));
        }
        return spark.createDataFrame(result, RESULTS);
    }

    private static boolean has(Dataset<Row> df, String column) {
        for (String c : df.columns()) if (BatchJob.column(c).equals(BatchJob.column(column))) return true;
        return false;
    }
}
