package org.dualmtgan.serve;

import org.dualmtgan.animate.Animator;
import org.dualmtgan.animate.BundledModels;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.run.CheckpointInfo;
import org.dualmtgan.util.ShownPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models a server offers, by name. A bundled model keeps its name; a path is named after its
 * file or folder ({@code runs/weizmann-64} is {@code weizmann-64}, {@code tiny.ckpt} is {@code tiny}),
 * with {@code -2}, {@code -3}, ... when two share a name. The first is the default.
 */
public final class ModelRegistry implements AutoCloseable {
    private final Map<String, Animator> models = new LinkedHashMap<>();
    /** Seconds each model took to load (as loaded here; models added already loaded have none). */
    private final Map<String, Double> loadSeconds = new LinkedHashMap<>();

    /** Loads every model; if one fails, those already loaded are closed and the error is thrown. */
    public static ModelRegistry load(List<String> namesOrPaths) {
        ModelRegistry r = new ModelRegistry();
        try {
            for (String m : namesOrPaths) r.load(nameOf(m), m);
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** Loads a bundled model or checkpoint and adds it under {@code name} (made unique), timing the load; returns the name used. */
    public String load(String name, String nameOrPath) {
        long t0 = System.nanoTime();
        Animator a = Animator.load(nameOrPath);
        String used = add(name, a);
        synchronized (this) {
            loadSeconds.put(used, (System.nanoTime() - t0) / 1e9);
        }
        return used;
    }

    /** Adds a loaded model under {@code name} (made unique); returns the name used. */
    public synchronized String add(String name, Animator animator) {
        String base = name == null || name.isBlank() ? "model" : name;
        String unique = base;
        for (int i = 2; models.containsKey(unique); i++) unique = base + "-" + i;
        models.put(unique, animator);
        return unique;
    }

    /** The name a path or bundled name is offered under. */
    static String nameOf(String nameOrPath) {
        Path p;
        try {
            p = Path.of(nameOrPath).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return nameOrPath;
        }
        if (!Files.exists(p)) return nameOrPath;
        Path file = p.getFileName();
        if (file == null) return "model";
        String n = file.toString();
        // A bundled model's folder or file (models/NAME/model.ckpt) is named by its folder.
        if (n.equals("model.ckpt") && p.getParent() != null && p.getParent().getFileName() != null) {
            n = p.getParent().getFileName().toString();
        }
        if (n.endsWith(".ckpt")) n = n.substring(0, n.length() - ".ckpt".length());
        return n.isEmpty() ? "model" : n;
    }

    /** Seconds each model loaded by {@link #load} took, by name. */
    public synchronized Map<String, Double> loadSeconds() {
        return Map.copyOf(loadSeconds);
    }

    public synchronized List<String> names() {
        return new ArrayList<>(models.keySet());
    }

    public synchronized boolean isEmpty() {
        return models.isEmpty();
    }

    /** The model called {@code name} (null or blank: the default); 404 naming the loaded ones when unknown. */
    public synchronized Map.Entry<String, Animator> get(String name) {
        if (models.isEmpty()) throw new HttpError(404, "no models are loaded", "model");
        if (name == null || name.isBlank()) return models.entrySet().iterator().next();
        Animator a = models.get(name);
        if (a == null) {
            throw new HttpError(404, "unknown model '" + name + "': loaded models are " + String.join(", ", models.keySet()), "model");
        }
        return Map.entry(name, a);
    }

    /** The model card of every model, in order: what GET /api/v1/models answers. */
    public synchronized List<Map<String, Object>> cards() {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<String, Animator> e : models.entrySet()) {
            out.add(card(e.getKey(), e.getValue(), first));
            first = false;
        }
        return out;
    }

    static Map<String, Object> card(String name, Animator a, boolean isDefault) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("default", isDefault);
        m.put("size", a.size());
        m.put("frames", a.clipLength());
        m.put("latentDim", a.latentDim());
        // "keypoints" models transfer in relative mode by default and also in absolute mode.
        ModelConfig cfg = a.config();
        m.put("motion", cfg.keypointMotion() ? "keypoints" : "latent");
        m.put("contentDim", cfg.contentDim);
        m.put("width", cfg.width);
        CheckpointInfo info = a.info();
        if (info != null) {
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("kind", info.kind);
            if (info.config != null && info.config.name != null) card.put("config", info.config.name);
            // The training machine's folders are not the client's business: the dataset's folder name only.
            if (info.config != null && info.config.data != null && info.config.data.path != null) card.put("data", folderName(info.config.data.path));
            card.put("dataFingerprint", info.dataFingerprint);
            card.put("step", info.step);
            card.put("seed", info.seed);
            card.put("wallSeconds", info.wallSeconds);
            card.put("created", info.created);
            card.put("projectVersion", info.projectVersion);
            card.put("storage", info.storage);
            card.put("parameterCounts", info.parameterCounts);
            card.put("metrics", info.metrics);
            card.values().removeIf(v -> v == null);
            m.put("card", card);
        }
        // A bundled model's MODEL_CARD.md (training, data, evaluation), as Markdown.
        try {
            String text = BundledModels.cardText(name);
            // Cards bundled before paths were redacted name the training machine's folders.
            if (text != null) m.put("modelCard", ShownPaths.redact(text));
        } catch (IOException | RuntimeException e) {
            // The card is documentation: a model without a readable one still serves.
        }
        return m;
    }

    @Override
    public synchronized void close() {
        List<Animator> all = new ArrayList<>(models.values());
        Collections.reverse(all);
        for (Animator a : all) a.close();
        models.clear();
    }

    /** The last segment of a path as written in a config ("../shared/data/weizmann" -> "weizmann"). */
    static String folderName(String path) {
        String p = path.replace('\\', '/');
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
