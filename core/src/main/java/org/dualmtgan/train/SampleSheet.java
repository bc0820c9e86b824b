package org.dualmtgan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.dualmtgan.data.Batch;
import org.dualmtgan.media.ContactSheet;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.Video;
import org.dualmtgan.model.DualMtgan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pictures during training: for a fixed set of clips, the rows source video, reconstruction,
 * target image, deterministic transfer and three stochastic samples, as a PNG contact sheet and a
 * GIF. The clips and the motion samples are the same at every step, so sheets of one run compare.
 */
final class SampleSheet {
    static final int STOCHASTIC_SAMPLES = 3;
    static final String[] ROW_NAMES = {"source V", "reconstruction", "target y", "transfer (y, V)",
            "sample 1", "sample 2", "sample 3"};

    private final List<Video> sources;
    private final List<Video> targets;
    private final float[] motionSamples;
    private final double fps;

    /** Uses the first {@code items} clips of {@code batch}; {@code seed} fixes the motion samples. */
    SampleSheet(Batch batch, int items, int latentDim, long seed) {
        int n = Math.min(items, batch.size());
        this.sources = List.copyOf(batch.sourceVideos().subList(0, n));
        this.targets = List.copyOf(batch.targetVideos().subList(0, n));
        this.fps = sources.get(0).fps();
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5A4D504C45L);
        motionSamples = new float[n * STOCHASTIC_SAMPLES * latentDim];
        for (int i = 0; i < motionSamples.length; i++) motionSamples[i] = (float) gaussian(rng);
    }

    /** Runs the model on the fixed clips and writes {@code png} and {@code gif}. */
    void write(DualMtgan model, NDManager parent, Path png, Path gif) throws IOException {
        List<Video> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<List<Video>> columns = new ArrayList<>();
        try (NDManager m = parent.newSubManager()) {
            NDArray source = Batch.stack(sources, m);
            NDArray targetClip = Batch.stack(targets, m);
            int n = sources.size();
            int frames = sources.get(0).frames();
            NDArray image = targetClip.get(new NDIndex(":, 0"));
            NDArray reconstruction = model.reconstruct(source);
            NDArray transfer = model.transfer(image, source);
            int latent = motionSamples.length / (n * STOCHASTIC_SAMPLES);
            NDArray z = m.create(motionSamples, new Shape(n * STOCHASTIC_SAMPLES, latent));
            NDArray images = image.expandDims(1).repeat(1, STOCHASTIC_SAMPLES)
                    .reshape(n * STOCHASTIC_SAMPLES, image.getShape().get(1), image.getShape().get(2), image.getShape().get(3));
            NDArray samples = model.sample(images, z, frames);
            for (int i = 0; i < n; i++) {
                String item = n > 1 ? " #" + (i + 1) : "";
                List<Video> column = new ArrayList<>();
                Video target = Video.fromNDArray(image.get(i).expandDims(0), fps);
                column.add(sources.get(i));
                column.add(Video.fromNDArray(reconstruction.get(i), fps));
                column.add(target);
                column.add(Video.fromNDArray(transfer.get(i), fps));
                for (int k = 0; k < STOCHASTIC_SAMPLES; k++) {
                    column.add(Video.fromNDArray(samples.get(i * STOCHASTIC_SAMPLES + k), fps));
                }
                for (int r = 0; r < column.size(); r++) {
                    rows.add(column.get(r));
                    labels.add(ROW_NAMES[r] + item);
                }
                columns.add(column);
            }
        }
        ContactSheet.write(rows, labels, png);
        MediaWriter.write(tile(columns), gif);
    }

    /**
     * One video showing every row of every column: columns side by side, rows stacked, 2 px white
     * gaps. A one-frame row (the target image) is held for the whole clip.
     */
    static Video tile(List<List<Video>> columns) {
        final int gap = 2;
        Video first = columns.get(0).get(0);
        int h = first.height();
        int w = first.width();
        int frames = 0;
        int rowCount = 0;
        for (List<Video> c : columns) {
            rowCount = Math.max(rowCount, c.size());
            for (Video v : c) frames = Math.max(frames, v.frames());
        }
        int outH = rowCount * h + (rowCount - 1) * gap;
        int outW = columns.size() * w + (columns.size() - 1) * gap;
        float[] out = new float[frames * 3 * outH * outW];
        java.util.Arrays.fill(out, 1f);
        for (int c = 0; c < columns.size(); c++) {
            for (int r = 0; r < columns.get(c).size(); r++) {
                Video v = columns.get(c).get(r);
                if (v.height() != h || v.width() != w) throw new IllegalArgumentException("videos of different sizes in a grid");
                int y0 = r * (h + gap);
                int x0 = c * (w + gap);
                for (int t = 0; t < frames; t++) {
                    int src = Math.min(t, v.frames() - 1);
                    for (int ch = 0; ch < 3; ch++) {
                        for (int y = 0; y < h; y++) {
                            System.arraycopy(v.data(), ((src * 3 + ch) * h + y) * w,
                                    out, ((t * 3 + ch) * outH + y0 + y) * outW + x0, w);
                        }
                    }
                }
            }
        }
        return new Video(out, frames, outH, outW, first.fps());
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian in Java 17.
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
