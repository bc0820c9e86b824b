package org.dualmtgan.train;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Reports training progress: a redrawn one-line bar (step, steps/s, ETA, current losses) on a
 * terminal, plain log lines elsewhere (CI, files), where carriage returns would only make a mess.
 */
public abstract class TrainingProgress {
    protected final PrintWriter out;

    protected TrainingProgress(PrintWriter out) {
        this.out = out;
    }

    /** A bar when {@code terminal}, else a log line every {@code logEvery} steps. */
    public static TrainingProgress create(PrintWriter out, boolean terminal, int logEvery) {
        return terminal ? new Bar(out) : new Lines(out, Math.max(1, logEvery));
    }

    /** Reports nothing (library use, tests that do not look at the output). */
    public static TrainingProgress silent() {
        return new Lines(new PrintWriter(java.io.OutputStream.nullOutputStream()), Integer.MAX_VALUE);
    }

    /** Called after each completed step. */
    public abstract void step(long step, long totalSteps, double stepsPerSecond, Map<String, Float> losses);

    /** A message on its own line (checkpoint written, resumed, stopped). */
    public void message(String line) {
        out.println(line);
        out.flush();
    }

    /** Training ended (finished, stopped or failed): leave the terminal on a fresh line. */
    public void finish() {
        out.flush();
    }

    static String eta(long stepsLeft, double stepsPerSecond) {
        if (stepsPerSecond <= 0 || !Double.isFinite(stepsPerSecond)) return "--:--";
        long s = Math.round(stepsLeft / stepsPerSecond);
        long h = s / 3600;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    static String losses(Map<String, Float> losses) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Float> e : losses.entrySet()) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(e.getKey()).append('=').append(String.format(Locale.ROOT, "%.4g", e.getValue()));
        }
        return sb.toString();
    }

    /** The terms a one-line bar has room for: reconstruction and the two sides' totals. */
    static Map<String, Float> keyLosses(Map<String, Float> losses) {
        Map<String, Float> key = new java.util.LinkedHashMap<>();
        for (String k : new String[] {"L_rec", "G_total", "D_total"}) {
            if (losses.containsKey(k)) key.put(k, losses.get(k));
        }
        return key.isEmpty() ? losses : key;
    }

    static int terminalColumns() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            if (c >= 40) return c;
        } catch (NumberFormatException ignored) {
            // Not exported by most shells: assume a common width.
        }
        return 100;
    }

    static String rate(double stepsPerSecond) {
        if (!Double.isFinite(stepsPerSecond) || stepsPerSecond <= 0) return "-- steps/s";
        return stepsPerSecond >= 1 ? String.format(Locale.ROOT, "%.2f steps/s", stepsPerSecond)
                : String.format(Locale.ROOT, "%.1f s/step", 1 / stepsPerSecond);
    }

    private static final class Bar extends TrainingProgress {
        private static final int WIDTH = 20;
        private final int columns = terminalColumns();
        private long lastDraw;
        private boolean onLine;

        Bar(PrintWriter out) {
            super(out);
        }

        @Override
        public void step(long step, long totalSteps, double stepsPerSecond, Map<String, Float> losses) {
            long now = System.nanoTime();
            // Redraw at most 10 times a second; always draw the last step.
            if (step != totalSteps && now - lastDraw < 100_000_000L) return;
            lastDraw = now;
            int filled = totalSteps <= 0 ? 0 : (int) Math.min(WIDTH, WIDTH * step / totalSteps);
            String line = String.format(Locale.ROOT, "[%s%s] %d/%d  %s  ETA %s  %s",
                    "#".repeat(filled), ".".repeat(WIDTH - filled), step, totalSteps, rate(stepsPerSecond),
                    eta(totalSteps - step, stepsPerSecond), losses(keyLosses(losses)));
            // A wrapped line cannot be redrawn with \r: keep it within the terminal's width.
            if (line.length() > columns - 1) line = line.substring(0, columns - 1);
            // \r then clear to end of line (ANSI) so a shorter line leaves no residue.
            out.print("\r" + line + "\u001b[K");
            out.flush();
            onLine = true;
        }

        @Override
        public void message(String line) {
            if (onLine) out.print("\r\u001b[K");
            onLine = false;
            super.message(line);
        }

        @Override
        public void finish() {
            if (onLine) out.println();
            onLine = false;
            out.flush();
        }
    }

    private static final class Lines extends TrainingProgress {
        private final int every;

        Lines(PrintWriter out, int every) {
            super(out);
            this.every = every;
        }

        @Override
        public void step(long step, long totalSteps, double stepsPerSecond, Map<String, Float> losses) {
            if (step % every != 0 && step != totalSteps) return;
            out.println(String.format(Locale.ROOT, "step %d/%d  %s  ETA %s  %s", step, totalSteps,
                    rate(stepsPerSecond), eta(totalSteps - step, stepsPerSecond), losses(losses)));
            out.flush();
        }
    }
}
