package org.dualmtgan.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.eval.EvalData;
import org.dualmtgan.eval.EvalResult;
import org.dualmtgan.eval.Evaluation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * {@code dualmtgan-spark eval}: an evaluation protocol ({@link Evaluation}) with its per-clip scores
 * computed on the executors. The driver reads the clips ({@link Evaluation#plan}: decoding is a small
 * share next to inference, which runs N samples per clip), the executors score them with the model
 * they load once per JVM, and the driver merges the parts in clip order, so the tables, CSV and JSON
 * equal those of {@code dualmtgan eval} on the same model, clips and seed.
 */
public final class SparkEval {
    /** The numeric options of a protocol, which travel to the executors. */
    public record Settings(int samples, int cond, long seed, int maxPairs) implements Serializable {
        Evaluation.Options options() {
            Evaluation.Options o = new Evaluation.Options();
            o.samples = samples;
            o.cond = cond;
            o.seed = seed;
            o.maxPairs = maxPairs;
            return o;
        }
    }

    private SparkEval() {}

    /**
     * Runs {@code protocol} on the clips {@code selection} names with {@code model} (a bundled name or
     * a path every executor can read) in {@code partitions} tasks (0: the default parallelism).
     */
    public static EvalResult run(SparkSession spark, String model, String protocol, EvalData.Selection selection,
                                 Settings settings, int partitions) {
        Animator local = ExecutorModels.get(model, spark.sparkContext().hadoopConfiguration()).animator();
        try {
            ExecutorModels.ship(spark, model);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Evaluation.Options o = settings.options();
        Evaluation.Plan plan = Evaluation.plan(protocol, local, selection, o);
        EvalResult result = Evaluation.begin(protocol, o);
        if (!plan.items().isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int n = Math.max(1, Math.min(plan.items().size(), partitions > 0 ? partitions : jsc.defaultParallelism()));
            org.apache.spark.broadcast.Broadcast<java.util.HashMap<String, String>> conf =
                    jsc.broadcast(HadoopFiles.snapshot(spark.sparkContext().hadoopConfiguration()));
            List<Part> parts = new ArrayList<>(jsc.parallelize(plan.items(), n)
                    .mapPartitions(items -> score(items, model, protocol, settings, HadoopFiles.configuration(conf.value()))).collect());
            parts.sort(Comparator.comparingInt(Part::firstIndex));
            for (Part p : parts) result.merge(p.result());
        }
        return Evaluation.finish(plan, local, o, result);
    }

    /** The scores of consecutive items, from {@code firstIndex} on. */
    record Part(int firstIndex, EvalResult result) implements Serializable {}

    static Iterator<Part> score(Iterator<Evaluation.Item> items, String model, String protocol, Settings settings,
                                org.apache.hadoop.conf.Configuration conf) {
        Animator animator = ExecutorModels.get(model, conf).animator();
        Evaluation.Options o = settings.options();
        EvalResult part = Evaluation.begin(protocol, o);
        int first = Integer.MAX_VALUE;
        while (items.hasNext()) {
            Evaluation.Item item = items.next();
            first = Math.min(first, item.index());
            Evaluation.score(item, animator, o, part);
        }
        return first == Integer.MAX_VALUE ? List.<Part>of().iterator() : List.of(new Part(first, part)).iterator();
    }
}
