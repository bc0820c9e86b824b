package org.dualmtgan.demo;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.ContactSheet;
import org.dualmtgan.media.Frames;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.MediaWriter.OutputFormat;
import org.dualmtgan.media.Preprocess;
import org.dualmtgan.media.Video;
import org.dualmtgan.util.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo: every bundled model that has demo inputs, run on the small inputs shipped in this
 * package's resources ({@code demo/README.md} lists them with sources and licenses). For each model
 * it writes a deterministic motion transfer (a held-out person's image driven by another person's
 * clip), stochastic samples from one image, a blend of two motions and a reconstruction, each as
 * GIF and MP4, a contact sheet, and one {@code index.html} showing them all. The output folder is
 * written under a temporary name and renamed when complete.
 */
public final class Demo {
    /** The demo inputs for one bundled model: a still to animate and two driving clips. */
    public record Scene(String model, String title, String still, String stillLabel, String drivingA, String labelA,
            String drivingB, String labelB) {}

    /** The scenes, by bundled model name; models without a scene are not part of the demo. */
    public static final List<Scene> SCENES = List.of(
            new Scene("weizmann-64", "Weizmann human actions (held-out person 6)",
                    "weizmann-p6-still.png", "person 6 (held out), standing",
                    "weizmann-p5-jack.png", "person 5, jumping jack",
                    "weizmann-p6-wave.png", "person 6, two-hand wave"),
            new Scene("faces-64", "Synthetic faces (held-out identities and expressions)",
                    "faces-still.png", "a held-out synthetic face",
                    "faces-0.png", "another face's expressions",
                    "faces-1.png", "a third face's expressions"),
            new Scene("portraits-64", "Real faces (a painted portrait driven by held-out talking heads)",
                    "portraits-still.png", "a portrait photo (Mona Lisa, cropped)",
                    "portraits-d3.png", "held-out talking head d3",
                    "portraits-d12.png", "held-out talking head d12"));

    /** What to run. */
    public static final class Options {
        public Path out = Path.of("out", "demo");
        /** Bundled model names; empty: every bundled model that has a scene. */
        public List<String> models = List.of();
        public long seed = 1;
        public int samples = 4;
        /** Frames of each generated video (longer than the models' training length on purpose). */
        public int frames = 16;
        public int interpolationSteps = 5;
    }

    /** One written file with the caption the page shows and its width in pixels (0 for a sheet). */
    public record Item(String model, String kind, Path file, String caption, int width) {}

    /** What the demo wrote and how long it took. */
    public record Result(Path out, Path index, List<Item> items, List<String> skipped, double seconds) {}

    private Demo() {}

    public static Result run(Options o) {
        long t0 = System.nanoTime();
        if (o.samples < 1 || o.samples > 64) throw new InvalidInputException("samples must be 1..64, got " + o.samples);
        if (o.frames < 2 || o.frames > 256) throw new InvalidInputException("frames must be 2..256, got " + o.frames);
        List<String> bundled = Animator.bundled();
        List<Scene> scenes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> wanted = o.models.isEmpty() ? SCENES.stream().map(Scene::model).toList() : o.models;
        for (String name : wanted) {
            Scene s = SCENES.stream().filter(x -> x.model().equals(name)).findFirst().orElse(null);
            if (s == null) {
                throw new InvalidInputException("the demo has no inputs for model '" + name + "'; it knows "
                        + String.join(", ", SCENES.stream().map(Scene::model).toList()));
            }
            if (!bundled.contains(name)) {
                if (!o.models.isEmpty()) throw new InvalidInputException("model '" + name + "' is not installed (models/" + name + "/model.ckpt)");
                skipped.add(name + " (not installed)");
                continue;
            }
            scenes.add(s);
        }
        if (scenes.isEmpty()) {
            throw new InvalidInputException("no bundled models to run the demo with: expected "
                    + String.join(" or ", wanted) + " under models/ (see models/README.md)");
        }
        List<Item> items = new ArrayList<>();
        Path out = o.out.toAbsolutePath().normalize();
        refuseForeignFolder(out);
        try {
            Files.createDirectories(out.getParent());
            AtomicFiles.writeDirectory(out, tmp -> {
                for (Scene s : scenes) items.addAll(runScene(s, o, tmp, out));
                writeIndex(tmp.resolve("index.html"), scenes, items, out);
            });
        } catch (IOException e) {
            throw new InvalidInputException(out, "cannot write the demo: " + e.getMessage(), e);
        }
        return new Result(out, out.resolve("index.html"), items, skipped, (System.nanoTime() - t0) / 1e9);
    }

    /** The demo replaces its own earlier output, never a folder holding anything else. */
    private static void refuseForeignFolder(Path out) {
        if (!Files.isDirectory(out)) {
            if (Files.exists(out)) throw new InvalidInputException(out, "exists and is not a folder");
            return;
        }
        try (var entries = Files.list(out)) {
            boolean empty = entries.findAny().isEmpty();
            if (!empty && !Files.isRegularFile(out.resolve("index.html"))) {
                throw new InvalidInputException(out, "is a folder that is not an earlier demo output; give another --out");
            }
        } catch (IOException e) {
            throw new InvalidInputException(out, "cannot read: " + e.getMessage(), e);
        }
    }

    private static List<Item> runScene(Scene s, Options o, Path tmp, Path finalOut) throws IOException {
        List<Item> items = new ArrayList<>();
        Path dir = tmp.resolve(s.model());
        Files.createDirectories(dir);
        try (Animator a = Animator.load(s.model())) {
            // At the model's size, so inputs and results tile side by side.
            Preprocess atModel = Preprocess.forModel(a.size());
            Video still = atModel.apply(input(s.still()));
            Video drivingA = atModel.apply(input(s.drivingA()));
            Video drivingB = atModel.apply(input(s.drivingB()));

            Video transfer = a.transfer(still, drivingA);
            items.addAll(both(s, "transfer", dir, finalOut, transfer,
                    "Motion transfer: " + s.stillLabel() + ", driven by " + s.labelA() + " (" + transfer.frames() + " frames)"));
            items.addAll(both(s, "driving", dir, finalOut, drivingA, "The driving clip: " + s.labelA()));

            List<Video> samples = a.generate(still, o.samples, o.seed, o.frames);
            items.addAll(both(s, "samples", dir, finalOut, tile(samples),
                    o.samples + " stochastic motions sampled for " + s.stillLabel() + " (seed " + o.seed + ", "
                            + o.frames + " frames each)"));

            List<Video> blend = a.interpolate(still, drivingA, drivingB, o.interpolationSteps);
            items.addAll(both(s, "interpolation", dir, finalOut, tile(blend),
                    "Motion interpolation, left to right: " + s.labelA() + " to " + s.labelB()));

            Video recon = a.reconstruct(drivingB);
            items.addAll(both(s, "reconstruction", dir, finalOut, tile(List.of(drivingB, recon)),
                    "Reconstruction of " + s.labelB() + " from its first frame and its own motion (left: input, right: model)"));

            List<Video> rows = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            rows.add(still);
            labels.add("image");
            rows.add(drivingA);
            labels.add("driving");
            rows.add(transfer);
            labels.add("transfer");
            for (int i = 0; i < samples.size(); i++) {
                rows.add(samples.get(i));
                labels.add("sample " + i);
            }
            Path sheet = dir.resolve("sheet.png");
            ContactSheet.write(rows, labels, sheet);
            items.add(new Item(s.model(), "sheet", finalOut.resolve(s.model()).resolve("sheet.png"),
                    "Contact sheet: image, driving clip, transfer, samples", 0));
        }
        return items;
    }

    private static List<Item> both(Scene s, String kind, Path dir, Path finalOut, Video v, String caption) {
        List<Item> items = new ArrayList<>();
        for (OutputFormat f : List.of(OutputFormat.GIF, OutputFormat.MP4)) {
            String name = kind + "." + f.name().toLowerCase(Locale.ROOT);
            MediaWriter.write(v, dir.resolve(name), f);
            items.add(new Item(s.model(), kind, finalOut.resolve(s.model()).resolve(name), caption, v.width()));
        }
        return items;
    }

    /** Videos side by side (the shortest length), with a 2-pixel white gap. */
    static Video tile(List<Video> videos) {
        int frames = Integer.MAX_VALUE;
        int h = videos.get(0).height();
        int gap = 2;
        int width = 0;
        for (Video v : videos) {
            if (v.height() != h) throw new IllegalArgumentException("tiles of different heights");
            frames = Math.min(frames, v.frames());
            width += v.width();
        }
        width += gap * (videos.size() - 1);
        float[] data = new float[frames * Video.CHANNELS * h * width];
        java.util.Arrays.fill(data, 1f);
        int x0 = 0;
        for (Video v : videos) {
            float[] src = v.data();
            int w = v.width();
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < Video.CHANNELS; c++) {
                    for (int y = 0; y < h; y++) {
                        System.arraycopy(src, ((t * Video.CHANNELS + c) * h + y) * w, data,
                                ((t * Video.CHANNELS + c) * h + y) * width + x0, w);
                    }
                }
            }
            x0 += w + gap;
        }
        return new Video(data, frames, h, width, videos.get(0).fps());
    }

    /** A bundled demo input: a strip PNG of 64x64 frames (or one image), from this package's resources. */
    public static Video input(String name) {
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) throw new InvalidInputException("demo input " + name + " is missing from the build");
            BufferedImage strip = ImageIO.read(in);
            if (strip == null) throw new InvalidInputException("demo input " + name + " is not a readable PNG");
            int side = strip.getHeight();
            List<BufferedImage> frames = new ArrayList<>();
            for (int x = 0; x + side <= strip.getWidth(); x += side) frames.add(strip.getSubimage(x, 0, side, side));
            return Frames.fromImages(frames, 12.5);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeIndex(Path file, List<Scene> scenes, List<Item> items, Path out) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Dual-MTGAN demo</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}\n")
                .append("figure{display:inline-block;margin:0 1.5rem 1.5rem 0;vertical-align:top;max-width:100%}\n")
                // Shown at twice their size (the width attribute), scaled down whole when the window is narrower.
                .append("img{image-rendering:pixelated;border:1px solid #ccc;max-width:100%;height:auto}\n")
                .append("figcaption{font-size:.9rem;margin-top:.3rem}\n.sheet img{height:auto;max-width:100%}\n</style>\n</head>\n<body>\n")
                .append("<h1>Dual-MTGAN demo</h1>\n<p>One model per dataset does both tasks: deterministic motion transfer ")
                .append("(the motion of a driving clip on a new image) and stochastic generation (new motions sampled ")
                .append("from the learned motion space). Each GIF has an MP4 beside it. Inputs: see the project's ")
                .append("<code>core/src/main/resources/org/dualmtgan/demo/README.md</code>; models: <code>models/NAME/MODEL_CARD.md</code>.</p>\n");
        for (Scene s : scenes) {
            b.append("<h2>").append(esc(s.title())).append(" &mdash; model <code>").append(esc(s.model())).append("</code></h2>\n");
            for (Item it : items) {
                if (!it.model().equals(s.model())) continue;
                String rel = esc(out.relativize(it.file()).toString().replace('\\', '/'));
                if (it.kind().equals("sheet")) {
                    b.append("<figure class=\"sheet\"><img src=\"").append(rel).append("\" alt=\"contact sheet\"><figcaption>")
                            .append(esc(it.caption())).append("</figcaption></figure>\n");
                } else if (rel.endsWith(".gif")) {
                    b.append("<figure><img src=\"").append(rel).append("\" width=\"").append(2 * it.width()).append("\" alt=\"")
                            .append(esc(it.kind())).append("\"><figcaption>")
                            .append(esc(it.caption())).append(" &middot; <a href=\"").append(rel.replace(".gif", ".mp4"))
                            .append("\">MP4</a></figcaption></figure>\n");
                }
            }
        }
        b.append("</body>\n</html>\n");
        Files.writeString(file, b.toString());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
