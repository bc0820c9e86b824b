package org.dualmtgan.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.ContactSheet;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.MediaWriter.OutputFormat;
import org.dualmtgan.media.PngEncoder;
import org.dualmtgan.media.Video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * How a result goes back to the client. One rule for every endpoint:
 * <ul>
 *   <li>{@code sheet=true} (not JSON): the labelled contact sheet PNG, inputs then results, one row each;</li>
 *   <li>{@code format=json}: one JSON document, each result base64-encoded in the encodings
 *       {@code media} names (default gif), plus the sheet when asked for;</li>
 *   <li>otherwise one result is the file itself (gif, mp4, avi or png: a strip of frames side by
 *       side) and several are a ZIP of such files ({@code sample-00.gif}, ...).</li>
 * </ul>
 * Every byte depends only on the request: the same seed gives the same bytes.
 */
final class Outputs {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    /** Most frame columns on a sheet; longer rows show every n-th frame. */
    static final int SHEET_COLUMNS = 32;
    /** ZIP entries carry this time so that archives are identical byte for byte (1980-01-01). */
    private static final long ZIP_TIME = 315532800000L;

    /** A response format: a media encoding or JSON. */
    enum Format {
        GIF("gif", "image/gif", OutputFormat.GIF),
        MP4("mp4", "video/mp4", OutputFormat.MP4),
        AVI("avi", "video/x-msvideo", OutputFormat.AVI),
        PNG("png", "image/png", OutputFormat.STRIP),
        JSON("json", "application/json", null);

        final String ext;
        final String contentType;
        final OutputFormat media;

        Format(String ext, String contentType, OutputFormat media) {
            this.ext = ext;
            this.contentType = contentType;
            this.media = media;
        }

        /** The format called {@code name}; 415 naming the field otherwise. */
        static Format parse(String field, String name) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("strip")) return PNG;
            for (Format f : values()) if (f.ext.equals(n)) return f;
            throw new HttpError(415, "unknown " + field + " '" + name + "': use gif, mp4, avi, png (a strip of frames) or json", field);
        }
    }

    /** One video of a result, with its file name stem (sample-00, ...). */
    record Item(String name, Video video) {}

    /** A sheet row: a video and its label. */
    record Row(String label, Video video) {}

    /** An encoded response body. */
    record Body(String contentType, byte[] bytes, String fileName) {}

    private Outputs() {}

    /**
     * Encodes {@code items} per the request's {@code format}, {@code sheet} and {@code media};
     * {@code inputs} are the sheet's first rows; {@code meta} opens the JSON document.
     */
    static Body encode(List<Item> items, List<Row> inputs, Format format, boolean sheet, Set<Format> media,
                       Map<String, Object> meta, String zipName, Path dir) throws IOException {
        if (format == Format.JSON) {
            Map<String, Object> doc = new LinkedHashMap<>(meta);
            List<Map<String, Object>> list = new ArrayList<>();
            for (Item it : items) {
                Map<String, Object> m = new LinkedHashMap<>();
                Video v = it.video();
                m.put("name", it.name());
                m.put("frames", v.frames());
                m.put("width", v.width());
                m.put("height", v.height());
                m.put("fps", v.fps());
                for (Format f : media) m.put(f.ext, Base64.getEncoder().encodeToString(file(v, it.name(), f, dir)));
                list.add(m);
            }
            doc.put("items", list);
            if (sheet) doc.put("sheet", Base64.getEncoder().encodeToString(sheet(inputs, items)));
            return new Body("application/json", JSON.writeValueAsBytes(doc), null);
        }
        if (sheet) return new Body("image/png", sheet(inputs, items), "sheet.png");
        if (items.size() == 1) {
            Item it = items.get(0);
            return new Body(format.contentType, file(it.video(), it.name(), format, dir), it.name() + "." + format.ext);
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (Item it : items) {
                ZipEntry e = new ZipEntry(it.name() + "." + format.ext);
                e.setTime(ZIP_TIME);
                z.putNextEntry(e);
                z.write(file(it.video(), it.name(), format, dir));
                z.closeEntry();
            }
        }
        return new Body("application/zip", zip.toByteArray(), zipName + ".zip");
    }

    /** Parses {@code media}: a comma-separated list of encodings for JSON items (not json itself). */
    static Set<Format> media(String list) {
        Set<Format> out = new LinkedHashSet<>();
        for (String s : list.split(",")) {
            if (s.isBlank()) continue;
            Format f = Format.parse("media", s);
            if (f == Format.JSON) throw new HttpError(415, "media lists encodings of each video: gif, mp4, avi or png", "media");
            out.add(f);
        }
        if (out.isEmpty()) throw HttpError.badRequest("media", "media must name at least one of gif, mp4, avi, png");
        return out;
    }

    /** The video encoded as {@code format}, through a file in the request's folder (the writers write files). */
    static byte[] file(Video v, String name, Format format, Path dir) throws IOException {
        Path f = dir.resolve("out-" + name + "." + format.ext);
        try {
            MediaWriter.write(v, f, format.media);
        } catch (InvalidInputException e) {
            // E.g. a strip too wide to be read back: the client's choice of format, named without the server's path.
            String m = String.valueOf(e.getMessage()).replace(f.toString(), name + "." + format.ext);
            throw HttpError.badRequest("format", m);
        }
        try {
            return Files.readAllBytes(f);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** The contact sheet PNG: input rows, then one row per result; frames enlarged to a readable height. */
    static byte[] sheet(List<Row> inputs, List<Item> items) {
        List<Row> rows = new ArrayList<>(inputs);
        for (Item it : items) rows.add(new Row(it.name(), it.video()));
        int longest = 1;
        int tallest = 1;
        for (Row r : rows) {
            longest = Math.max(longest, r.video().frames());
            tallest = Math.max(tallest, r.video().height());
        }
        int step = (longest + SHEET_COLUMNS - 1) / SHEET_COLUMNS;
        List<Video> shown = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Row r : rows) {
            shown.add(step > 1 ? r.video().strided(0, step, 0) : r.video());
            labels.add(step > 1 ? r.label() + " (every " + step + ")" : r.label());
        }
        int scale = Math.max(1, (ContactSheet.READABLE_HEIGHT + tallest - 1) / tallest);
        try {
            return PngEncoder.encode(ContactSheet.render(shown, labels, scale));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("sheet", "the contact sheet would be too large: " + e.getMessage());
        }
    }
}
