package org.dualmtgan.serve;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Preprocess;
import org.dualmtgan.media.Video;
import org.dualmtgan.serve.Outputs.Format;
import org.dualmtgan.serve.Outputs.Item;
import org.dualmtgan.serve.Outputs.Row;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The four synthesis endpoints: read the form's inputs at the model's size, call the
 * {@link Animator}, encode the result ({@link Outputs}). They run on a worker thread; the request's
 * folder holds the uploads and the encoder's files and is deleted by the caller.
 */
final class Operations {
    /** Fields every synthesis endpoint takes. */
    private static final Set<String> COMMON = Set.of("model", "format", "sheet", "media");

    private final ModelRegistry models;
    private final DemoInputs demos;
    private final ServeConfig cfg;

    Operations(ModelRegistry models, DemoInputs demos, ServeConfig cfg) {
        this.models = models;
        this.demos = demos;
        this.cfg = cfg;
    }

    /** The operations by endpoint name, in the order the API lists them. */
    static final List<String> NAMES = List.of("transfer", "generate", "reconstruct", "interpolate");
    /** Text fields of each operation beyond the common ones (the API description lists them). */
    static final Map<String, List<String>> TEXT = Map.of("transfer", List.of("maxFrames", "imageCrop", "drivingCrop", "absolute"),
            "reconstruct", List.of("maxFrames"), "generate", List.of("n", "seed", "frames", "given", "imageCrop"),
            "interpolate", List.of("steps"));
    /** File inputs of each operation (each also takes FIELDDemo, the name of an example input). */
    static final Map<String, List<String>> INPUTS = Map.of("transfer", List.of("image", "driving"), "reconstruct", List.of("video"),
            "generate", List.of("image"), "interpolate", List.of("image", "motionA", "motionB"));
    /** The common fields of every operation. */
    static Set<String> common() {
        return COMMON;
    }

    /** The computing half of a request whose inputs were read and checked: animates and encodes. */
    interface Work {
        Outputs.Body compute() throws IOException;
    }

    /**
     * One operation by endpoint name. {@link #prepare} reads and checks the form (options, model,
     * decoded inputs) and throws the 400 a bad request gets; the {@link Work} it returns computes.
     * A job is accepted only once its request has been prepared.
     */
    interface Operation {
        Work prepare(Form form, Path dir) throws IOException;

        default Outputs.Body run(Form form, Path dir) throws IOException {
            return prepare(form, dir).compute();
        }
    }

    /** The operation named {@code name} (one of {@link #NAMES}), or null. */
    Operation byName(String name) {
        return switch (name) {
            case "transfer" -> this::transfer;
            case "generate" -> this::generate;
            case "reconstruct" -> this::reconstruct;
            case "interpolate" -> this::interpolate;
            default -> null;
        };
    }

    /** Refuses fields operation {@code op} does not take (400 naming the first), before any work. */
    static void checkFields(String op, Form f) {
        f.allowOnly(op, fields(op));
    }

    private static Set<String> fields(String op) {
        return fields(TEXT.get(op), INPUTS.get(op));
    }

    /** The endpoint's fields: the common ones, the text fields, and FIELD plus FIELDDemo per input. */
    private static Set<String> fields(List<String> text, List<String> inputs) {
        Set<String> all = new TreeSet<>(COMMON);
        all.addAll(text);
        for (String f : inputs) {
            all.add(f);
            all.add(f + "Demo");
        }
        return all;
    }

    /** The request's output options, read before any decoding so that a bad format fails fast. */
    private record Options(Format format, boolean sheet, Set<Format> media) {
        static Options of(Form f) {
            Format format = Format.parse("format", f.text("format", "gif"));
            boolean sheet = f.bool("sheet", false);
            String mediaText = f.text("media", null);
            if (mediaText != null && format != Format.JSON) {
                throw HttpError.badRequest("media", "media applies to format=json only");
            }
            return new Options(format, sheet, Outputs.media(mediaText == null ? "gif" : mediaText));
        }
    }

    /** POST /api/v1/transfer: the image moves as the driving video does. */
    Work transfer(Form f, Path dir) throws IOException {
        f.allowOnly("transfer", fields("transfer"));
        Options o = Options.of(f);
        Map.Entry<String, Animator> m = models.get(f.text("model", null));
        Animator a = m.getValue();
        Integer maxFrames = f.optionalInteger("maxFrames", 1, cfg.maxFrames);
        Preprocess.Crop imageCrop = crop(f, "imageCrop");
        Preprocess.Crop drivingCrop = crop(f, "drivingCrop");
        boolean absolute = f.bool("absolute", false);
        if (absolute && !a.config().keypointMotion()) {
            throw HttpError.badRequest("absolute", "absolute transfer needs a model with keypoint motion; " + m.getKey()
                    + " has a per-clip latent (GET /api/v1/models lists each model's motion)");
        }
        Video image = readImage(f, "image", 1, a.size(), imageCrop, dir);
        Video driving = readVideo(f, "driving", a.size(), maxFrames, drivingCrop, dir);
        return () -> {
            Video out = a.transfer(image, driving, absolute);
            Map<String, Object> meta = meta("transfer", m.getKey());
            if (a.config().keypointMotion()) meta.put("transferMode", absolute ? "absolute" : "relative");
            return Outputs.encode(List.of(new Item("transfer", out)),
                    List.of(new Row("image", image), new Row("driving", driving)), o.format, o.sheet, o.media, meta, "transfer", dir);
        };
    }

    /** POST /api/v1/reconstruct: a video rebuilt from its first frame and its own motion. */
    Work reconstruct(Form f, Path dir) throws IOException {
        f.allowOnly("reconstruct", fields("reconstruct"));
        Options o = Options.of(f);
        Map.Entry<String, Animator> m = models.get(f.text("model", null));
        Animator a = m.getValue();
        Integer maxFrames = f.optionalInteger("maxFrames", 1, cfg.maxFrames);
        Video video = readVideo(f, "video", a.size(), maxFrames, Preprocess.Crop.center(), dir);
        return () -> Outputs.encode(List.of(new Item("reconstruction", a.reconstruct(video))), List.of(new Row("video", video)),
                o.format, o.sheet, o.media, meta("reconstruct", m.getKey()), "reconstruction", dir);
    }

    /** POST /api/v1/generate: n videos of the image with sampled motion, reproducible from the seed. */
    Work generate(Form f, Path dir) throws IOException {
        f.allowOnly("generate", fields("generate"));
        Options o = Options.of(f);
        Map.Entry<String, Animator> m = models.get(f.text("model", null));
        Animator a = m.getValue();
        int n = f.integer("n", 1, 1, cfg.maxSamples);
        long seed = f.longValue("seed", 0);
        int given = f.integer("given", 1, 1, cfg.maxFrames);
        Integer frames = f.optionalInteger("frames", 1, cfg.maxFrames);
        int length = frames != null ? frames : Math.max(a.clipLength(), given);
        if (length < given) throw HttpError.badRequest("frames", "frames (" + length + ") must be at least given (" + given + ")");
        Video start = readImage(f, "image", given, a.size(), crop(f, "imageCrop"), dir);
        return () -> {
            List<Video> videos = a.generate(start, n, seed, length);
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < videos.size(); i++) items.add(new Item(String.format(Locale.ROOT, "sample-%02d", i), videos.get(i)));
            Map<String, Object> meta = meta("generate", m.getKey());
            meta.put("n", n);
            meta.put("seed", seed);
            meta.put("frames", length);
            meta.put("given", given);
            return Outputs.encode(items, List.of(new Row(given == 1 ? "image" : "given", start)), o.format, o.sheet, o.media,
                    meta, "samples", dir);
        };
    }

    /** POST /api/v1/interpolate: steps videos blending motion A into motion B. */
    Work interpolate(Form f, Path dir) throws IOException {
        f.allowOnly("interpolate", fields("interpolate"));
        Options o = Options.of(f);
        Map.Entry<String, Animator> m = models.get(f.text("model", null));
        Animator a = m.getValue();
        int steps = f.integer("steps", 5, 2, cfg.maxSamples);
        Video image = readImage(f, "image", 1, a.size(), dir);
        // Each motion is encoded from its first T frames; more are not read.
        Video motionA = readVideo(f, "motionA", a.size(), a.clipLength(), dir);
        Video motionB = readVideo(f, "motionB", a.size(), a.clipLength(), dir);
        return () -> {
            List<Video> videos = a.interpolate(image, motionA, motionB, steps);
            List<Item> items = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            for (int j = 0; j < videos.size(); j++) {
                double alpha = 1.0 - (double) j / (steps - 1);
                weights.add(alpha);
                items.add(new Item(String.format(Locale.ROOT, "step-%02d", j), videos.get(j)));
            }
            Map<String, Object> meta = meta("interpolate", m.getKey());
            meta.put("steps", steps);
            meta.put("weights", weights);
            return Outputs.encode(items, List.of(new Row("image", image), new Row("motion A", motionA), new Row("motion B", motionB)),
                    o.format, o.sheet, o.media, meta, "interpolation", dir);
        };
    }

    private static Map<String, Object> meta(String operation, String model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operation", operation);
        m.put("model", model);
        return m;
    }

    // ---- Inputs. ----

    /** An input file: an upload or a demo input, with the name messages should use. */
    private record Input(String field, Path path, String shownName) {}

    private Input input(Form f, String field, Path dir) {
        Upload u = f.upload(field);
        String demo = f.text(field + "Demo", null);
        if (u != null && demo != null) {
            throw HttpError.badRequest(field, "give either a file in '" + field + "' or a demo input in '" + field + "Demo', not both");
        }
        if (u != null) {
            if (u.size() == 0) throw HttpError.badRequest(field, u.fileName() + ": file is empty");
            return new Input(field, u.path(), u.fileName());
        }
        if (demo != null) {
            Path p;
            try {
                p = demos.file(demo, dir);
            } catch (IOException e) {
                throw new IllegalStateException("demo input " + demo + " cannot be copied: " + e.getMessage(), e);
            }
            if (p == null) throw new HttpError(404, "no demo input '" + demo + "' (GET /api/v1/demos lists them)", field + "Demo");
            return new Input(field, p, demo);
        }
        if (f.text(field, null) != null) {
            throw HttpError.badRequest(field, "field '" + field + "' must be a file upload (multipart/form-data with a file name)");
        }
        throw HttpError.badRequest(field, "no " + field + " given: upload a file in field '" + field + "'");
    }

    /** The first {@code k} frames at model size ({@link MediaReader#readFirstFrames}). */
    private Video readImage(Form f, String field, int k, int size, Path dir) {
        return readImage(f, field, k, size, Preprocess.Crop.center(), dir);
    }

    private Video readImage(Form f, String field, int k, int size, Preprocess.Crop crop, Path dir) {
        Input in = input(f, field, dir);
        return decode(in, () -> MediaReader.readFirstFrames(in.path(), k, size, crop));
    }

    /** A crop field: center (the default), none or x,y,w,h in the input's pixels. */
    private static Preprocess.Crop crop(Form f, String field) {
        String text = f.text(field, null);
        if (text == null || text.isBlank()) return Preprocess.Crop.center();
        try {
            return Preprocess.Crop.parseOption(text);
        } catch (InvalidInputException e) {
            throw HttpError.badRequest(field, e.getMessage());
        }
    }

    /**
     * A whole video at model size. {@code maxFrames} (the client's) keeps that many from the start;
     * without it a video longer than the server's limit is refused rather than cut silently.
     */
    private Video readVideo(Form f, String field, int size, Integer maxFrames, Path dir) {
        return readVideo(f, field, size, maxFrames, Preprocess.Crop.center(), dir);
    }

    private Video readVideo(Form f, String field, int size, Integer maxFrames, Preprocess.Crop crop, Path dir) {
        Input in = input(f, field, dir);
        int take = maxFrames != null ? maxFrames : cfg.maxFrames + 1;
        return decode(in, () -> {
            Video v = MediaReader.readVideo(in.path(), MediaReader.Layout.AUTO, Preprocess.builder().size(size).frames(take).crop(crop).build());
            if (v.frames() == 0) throw new InvalidInputException(in.path(), "has no frames");
            if (maxFrames == null && v.frames() > cfg.maxFrames) {
                throw new InvalidInputException(in.path(), "has more than " + cfg.maxFrames
                        + " frames, the server's limit; send a shorter clip or set maxFrames to use its start");
            }
            return v;
        });
    }

    private interface Decoder {
        Video decode();
    }

    /** Runs a reader, turning its errors into 400s that name the uploaded file (not the temporary copy) and the field. */
    private static Video decode(Input in, Decoder d) {
        try {
            return d.decode();
        } catch (InvalidInputException e) {
            throw HttpError.badRequest(in.field(), rename(e.getMessage(), in));
        }
    }

    static String rename(String message, Input in) {
        String m = message == null ? "cannot read" : message;
        String full = in.path().toString();
        String shown = in.shownName();
        if (m.contains(full)) return m.replace(full, shown);
        String stored = in.path().getFileName().toString();
        if (m.contains(stored)) return m.replace(stored, shown);
        return shown + ": " + m;
    }
}
