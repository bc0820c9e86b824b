package org.dualmtgan.train;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.util.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's loss history: {@code losses.csv} with one row per logged step (step, cumulative wall
 * time in seconds, then every loss term) and a PNG plot of the curves.
 *
 * <p>Each row holds the mean of every term over the steps since the previous row, so a row every
 * 10 steps is as informative as ten rows. The file is rewritten atomically on each flush; on resume,
 * rows after the checkpoint's step (logged by the interrupted run after its last checkpoint) are
 * dropped so the history matches the restored state.
 */
public final class LossLog {
    static final String STEP = "step";
    static final String WALL = "wall_seconds";

    private final Path csv;
    private final List<String> terms = new ArrayList<>();
    private final List<long[]> steps = new ArrayList<>();
    private final List<double[]> walls = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();
    // Running sums since the last row.
    private final Map<String, double[]> pending = new LinkedHashMap<>();
    private int pendingCount;
    // Values measured once for the current row (held-out scores): written as they are, not averaged.
    private final Map<String, Double> measured = new LinkedHashMap<>();
    private boolean lastPlotLogarithmic;

    private LossLog(Path csv) {
        this.csv = csv;
    }

    /** A new, empty log at {@code csv} (an existing file is replaced on the first flush). */
    public static LossLog create(Path csv) {
        return new LossLog(csv);
    }

    /**
     * Reads an existing log, keeping rows with step <= {@code lastStep}. A missing file gives an
     * empty log.
     */
    public static LossLog resume(Path csv, long lastStep) throws IOException {
        LossLog log = new LossLog(csv);
        if (!Files.exists(csv)) return log;
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) return log;
        String[] header = lines.get(0).split(",", -1);
        if (header.length < 2 || !header[0].equals(STEP) || !header[1].equals(WALL)) {
            throw new InvalidInputException(csv, "not a loss log: header must start with 'step,wall_seconds'");
        }
        log.terms.addAll(Arrays.asList(header).subList(2, header.length));
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (f.length != header.length) {
                throw new InvalidInputException(csv, "line " + (i + 1) + " has " + f.length + " fields, expected " + header.length);
            }
            try {
                long step = Long.parseLong(f[0]);
                if (step > lastStep) continue;
                double[] row = new double[f.length - 2];
                for (int k = 0; k < row.length; k++) row[k] = Double.parseDouble(f[k + 2]);
                log.steps.add(new long[] {step});
                log.walls.add(new double[] {Double.parseDouble(f[1])});
                log.values.add(row);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(csv, "line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return log;
    }

    /** Adds one step's losses to the running means of the current row. */
    public void accumulate(Map<String, Float> losses) {
        for (Map.Entry<String, Float> e : losses.entrySet()) {
            pending.computeIfAbsent(e.getKey(), k -> new double[1])[0] += e.getValue();
        }
        pendingCount++;
    }

    /**
     * Values measured once for the current row, such as held-out scores: written as they are, where
     * {@link #accumulate} would average them with the window's steps.
     */
    public void record(Map<String, Float> values) {
        values.forEach((k, v) -> measured.put(k, v.doubleValue()));
    }

    /** Closes the current row at {@code step}; nothing happens when no step was accumulated. */
    public void endRow(long step, double wallSeconds) {
        if (pendingCount == 0) return;
        List<String> names = new ArrayList<>(pending.keySet());
        for (String k : measured.keySet()) if (!names.contains(k)) names.add(k);
        for (String k : names) {
            if (!terms.contains(k)) {
                if (!steps.isEmpty()) {
                    // A term appearing late: earlier rows get NaN for it.
                    for (int i = 0; i < values.size(); i++) {
                        double[] old = values.get(i);
                        double[] grown = Arrays.copyOf(old, old.length + 1);
                        grown[old.length] = Double.NaN;
                        values.set(i, grown);
                    }
                }
                terms.add(k);
            }
        }
        double[] row = new double[terms.size()];
        for (int k = 0; k < row.length; k++) {
            double[] sum = pending.get(terms.get(k));
            Double once = measured.get(terms.get(k));
            row[k] = once != null ? once : sum == null ? Double.NaN : sum[0] / pendingCount;
        }
        steps.add(new long[] {step});
        walls.add(new double[] {wallSeconds});
        values.add(row);
        pending.clear();
        pendingCount = 0;
        measured.clear();
    }

    /**
     * Writes the current row at {@code step} like {@link #endRow} but keeps its running sums: a
     * session's last step that is not a multiple of the log cadence. A resumed run drops that row
     * ({@link #dropRowAt}) and, with the sums restored from its checkpoint ({@link #restoreWindow}),
     * writes the complete row at the next multiple, so its log equals an uninterrupted run's.
     */
    public void endPartialRow(long step, double wallSeconds) {
        if (pendingCount == 0) return;
        Map<String, double[]> keep = new LinkedHashMap<>();
        pending.forEach((k, v) -> keep.put(k, v.clone()));
        int count = pendingCount;
        endRow(step, wallSeconds);
        pending.putAll(keep);
        pendingCount = count;
    }

    /** The running sums of the row not yet closed (term to sum), for a checkpoint. */
    public Map<String, Double> windowSums() {
        Map<String, Double> out = new LinkedHashMap<>();
        pending.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    /** Steps accumulated into the row not yet closed. */
    public int windowSteps() {
        return pendingCount;
    }

    /** Restores the running sums a checkpoint kept ({@link #windowSums}, {@link #windowSteps}). */
    public void restoreWindow(Map<String, Double> sums, int count) {
        pending.clear();
        pendingCount = 0;
        if (sums == null || count <= 0) return;
        sums.forEach((k, v) -> pending.put(k, new double[] {v}));
        pendingCount = count;
    }

    /** Drops the row logged at {@code step}, if any (a partial row a resumed run completes). */
    public void dropRowAt(long step) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i)[0] == step) {
                steps.remove(i);
                walls.remove(i);
                values.remove(i);
            }
        }
    }

    public List<String> terms() {
        return List.copyOf(terms);
    }

    public int rows() {
        return steps.size();
    }

    public long step(int row) {
        return steps.get(row)[0];
    }

    public double value(int row, String term) {
        int k = terms.indexOf(term);
        if (k < 0) throw new IllegalArgumentException("no term " + term);
        return values.get(row)[k];
    }

    /** Whether the last {@link #plot} used a logarithmic y axis. */
    public boolean lastPlotLogarithmic() {
        return lastPlotLogarithmic;
    }

    /** Rewrites the CSV atomically. */
    public void flush() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(STEP).append(',').append(WALL);
        for (String t : terms) sb.append(',').append(t);
        sb.append('\n');
        for (int i = 0; i < steps.size(); i++) {
            sb.append(steps.get(i)[0]).append(',').append(String.format(Locale.ROOT, "%.3f", walls.get(i)[0]));
            for (double v : values.get(i)) sb.append(',').append(format(v));
            sb.append('\n');
        }
        AtomicFiles.writeString(csv, sb.toString());
    }

    private static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Columns that are not losses (the adversarial ramp factor): kept in the CSV, left off the plot. */
    static final java.util.Set<String> NOT_PLOTTED = java.util.Set.of("adv_weight");

    /**
     * Writes the loss curves as a PNG, one series per term. Terms that are zero throughout
     * (switched off) are left out. The y axis is logarithmic unless a term goes negative; on it,
     * zero points (a term not active yet, as in the adversarial warm-up) are left out.
     */
    public void plot(Path png, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("step").yAxisTitle("loss (mean per logged interval)").build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        int n = steps.size();
        // Bucket means keep the plot readable (and cheap) for long runs.
        int buckets = Math.min(n, 1500);
        List<String> names = new ArrayList<>();
        List<double[][]> series = new ArrayList<>();
        boolean anyNegative = false;
        for (int k = 0; k < terms.size(); k++) {
            if (NOT_PLOTTED.contains(terms.get(k))) continue;
            double[] xs = new double[buckets];
            double[] ys = new double[buckets];
            int m = 0;
            boolean anyNonZero = false;
            for (int b = 0; b < buckets; b++) {
                int from = (int) ((long) b * n / buckets);
                int to = (int) ((long) (b + 1) * n / buckets);
                double sx = 0, sy = 0;
                int c = 0;
                for (int i = from; i < to; i++) {
                    double v = values.get(i)[k];
                    if (!Double.isFinite(v)) continue;
                    sx += steps.get(i)[0];
                    sy += v;
                    c++;
                }
                if (c == 0) continue;
                xs[m] = sx / c;
                ys[m] = sy / c;
                if (ys[m] != 0) anyNonZero = true;
                if (ys[m] < 0) anyNegative = true;
                m++;
            }
            if (m == 0 || !anyNonZero) continue;
            names.add(terms.get(k));
            series.add(new double[][] {Arrays.copyOf(xs, m), Arrays.copyOf(ys, m)});
        }
        boolean log = !series.isEmpty() && !anyNegative;
        for (int i = 0; i < series.size(); i++) {
            double[] x = series.get(i)[0];
            double[] y = series.get(i)[1];
            if (log) {
                int m = 0;
                for (int j = 0; j < y.length; j++) {
                    if (y[j] > 0) {
                        x[m] = x[j];
                        y[m] = y[j];
                        m++;
                    }
                }
                x = Arrays.copyOf(x, m);
                y = Arrays.copyOf(y, m);
            }
            chart.addSeries(names.get(i), x, y).setMarker(SeriesMarkers.NONE);
        }
        if (series.isEmpty()) {
            chart.addSeries("no data yet", new double[] {0}, new double[] {1}).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setYAxisLogarithmic(log);
        lastPlotLogarithmic = log;
        AtomicFiles.writeStream(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
