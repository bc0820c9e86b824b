package org.dualmtgan.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.dualmtgan.util.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an {@link EvalResult}: {@code BASE.md} (the table with its baselines, facts and notes),
 * {@code BASE.csv} (every per-clip score), {@code BASE.json} (facts, summaries, per-clip scores and
 * curves) and {@code BASE-ssim-per-frame.png} (mean SSIM of each scored frame per method). Each
 * file is written atomically.
 */
public final class EvalReport {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReport() {}

    /** The files written for {@code base}: .md, .csv, .json and -ssim-per-frame.png. */
    public static List<Path> files(Path base) {
        String b = base.getFileName().toString();
        return List.of(base.resolveSibling(b + ".md"), base.resolveSibling(b + ".csv"), base.resolveSibling(b + ".json"),
                base.resolveSibling(b + "-ssim-per-frame.png"));
    }

    /** {@code out} without a trailing .md, .csv or .json: the base name of the four files. */
    public static Path base(Path out) {
        String n = out.getFileName().toString();
        for (String ext : List.of(".md", ".csv", ".json")) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) return out.resolveSibling(n.substring(0, n.length() - ext.length()));
        }
        return out;
    }

    public static List<Path> write(EvalResult r, Path base) throws IOException {
        List<Path> f = files(base);
        AtomicFiles.writeString(f.get(0), markdown(r));
        AtomicFiles.writeString(f.get(1), csv(r));
        AtomicFiles.writeString(f.get(2), JSON.writeValueAsString(json(r)) + "\n");
        plot(r, f.get(3));
        return f;
    }

    /** The Markdown page: title, facts, the table (mean +- std over clips), row descriptions and notes. */
    public static String markdown(EvalResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.title).append("\n\n");
        for (Map.Entry<String, Object> e : r.meta.entrySet()) {
            sb.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        sb.append("- SSIM: ").append(Evaluation.SSIM_DEFINITION).append("\n\n");
        sb.append("| method | clips |");
        for (String m : r.metrics) sb.append(' ').append(m).append(" |");
        sb.append("\n| --- | ---: |");
        for (int i = 0; i < r.metrics.size(); i++) sb.append(" ---: |");
        sb.append('\n');
        for (String method : r.methods) {
            int n = 0;
            StringBuilder cells = new StringBuilder();
            for (String m : r.metrics) {
                EvalResult.Summary s = r.summary(method, m);
                n = Math.max(n, s.n());
                cells.append(' ').append(cell(s)).append(" |");
            }
            sb.append("| ").append(method).append(" | ").append(n).append(" |").append(cells).append('\n');
        }
        sb.append("\nValues: mean +- standard deviation over clips.");
        if (r.metrics.contains(EvalResult.PSNR) || r.metrics.contains(EvalResult.PSNR_BEST)) sb.append(" PSNR in dB.");
        sb.append("\n\n");
        for (String method : r.methods) {
            String d = r.descriptions.get(method);
            if (d != null) sb.append("- `").append(method).append("`: ").append(d).append('\n');
        }
        if (!r.notes.isEmpty()) sb.append('\n');
        for (String note : r.notes) sb.append(note).append("\n\n");
        return sb.toString();
    }

    static String cell(EvalResult.Summary s) {
        if (s.n() == 0) return "-";
        if (Double.isInfinite(s.mean())) return "inf";
        return String.format(Locale.ROOT, "%.4f +- %.4f", s.mean(), s.std());
    }

    /** One row per clip and method, one column per metric. */
    public static String csv(EvalResult r) {
        StringBuilder sb = new StringBuilder("clip,method");
        for (String m : r.metrics) sb.append(',').append(m);
        sb.append('\n');
        for (EvalResult.ClipScore s : r.scores) {
            sb.append(quote(s.clip())).append(',').append(quote(s.method()));
            for (String m : r.metrics) {
                Double v = s.values().get(m);
                sb.append(',');
                if (v != null) sb.append(Double.isInfinite(v) ? "inf" : Double.isNaN(v) ? "nan" : Double.toString(v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    public static ObjectNode json(EvalResult r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("title", r.title);
        root.put("protocol", r.protocol);
        root.set("meta", JSON.valueToTree(r.meta));
        root.put("ssimDefinition", Evaluation.SSIM_DEFINITION);
        root.set("metrics", JSON.valueToTree(r.metrics));
        ObjectNode summary = root.putObject("summary");
        for (String method : r.methods) {
            ObjectNode row = summary.putObject(method);
            for (String m : r.metrics) {
                EvalResult.Summary s = r.summary(method, m);
                if (s.n() == 0) continue;
                ObjectNode cell = row.putObject(m);
                number(cell, "mean", s.mean());
                number(cell, "std", s.std());
                cell.put("n", s.n());
            }
        }
        root.set("descriptions", JSON.valueToTree(r.descriptions));
        root.set("notes", JSON.valueToTree(r.notes));
        ArrayNode clips = root.putArray("clips");
        for (EvalResult.ClipScore s : r.scores) {
            ObjectNode c = clips.addObject();
            c.put("clip", s.clip());
            c.put("method", s.method());
            for (Map.Entry<String, Double> e : s.values().entrySet()) number(c, e.getKey(), e.getValue());
        }
        root.put("firstScoredFrame", r.firstScoredFrame);
        ObjectNode curves = root.putObject("ssimPerFrame");
        for (String label : r.ssimCurves.keySet()) curves.set(label, JSON.valueToTree(r.meanCurve(label)));
        return root;
    }

    /** Finite numbers as numbers; infinities and NaN as the strings "inf", "-inf", "nan" (JSON has no such numbers). */
    private static void number(ObjectNode node, String key, double v) {
        if (Double.isNaN(v)) node.put(key, "nan");
        else if (Double.isInfinite(v)) node.put(key, v > 0 ? "inf" : "-inf");
        else node.put(key, v);
    }

    /** Mean SSIM per scored frame, one line per curve, x = frame index within the clip. */
    public static void plot(EvalResult r, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(960).height(500)
                .title("SSIM per scored frame (" + r.protocol + ", mean over " + r.clips().size() + " clips)")
                .xAxisTitle("frame").yAxisTitle("SSIM").build();
        // Outside the plot: with many curves (an ablation) a legend inside hides the low ones.
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (String label : r.ssimCurves.keySet()) {
            double[] y = r.meanCurve(label);
            if (y.length == 0) continue;
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) x[i] = r.firstScoredFrame + i;
            chart.addSeries(label, x, y);
        }
        if (chart.getSeriesMap().isEmpty()) chart.addSeries("no clips", new double[] {0}, new double[] {0});
        AtomicFiles.writeStream(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
