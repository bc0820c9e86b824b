package org.dualmtgan.serve;

import org.dualmtgan.util.ProjectInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.0 description served at {@code /openapi.json}, built from the same route table the
 * server registers ({@link ApiServer.Route}) and the operations' field lists ({@link Operations}),
 * so it cannot drift from what is served; {@code ApiServerTest} checks it against the router.
 */
final class OpenApi {
    private OpenApi() {}

    private static final Map<String, String> FIELD_HELP = Map.ofEntries(
            Map.entry("model", "Model name (GET /api/v1/models); default: the first loaded."),
            Map.entry("format", "gif (default), mp4, avi, png (a strip) or json."),
            Map.entry("sheet", "true: answer the labelled contact sheet (PNG) instead."),
            Map.entry("media", "With format=json: the encodings of each item, e.g. gif,mp4."),
            Map.entry("maxFrames", "Use only the first N frames of the video."),
            Map.entry("imageCrop", "Region of the image: x,y,w,h in its pixels, center (default) or none."),
            Map.entry("drivingCrop", "Region of the driving video's frames: x,y,w,h, center (default) or none."),
            Map.entry("absolute", "true: place the image's keypoints where the driving video's are (a driving video framed like the image);"
                    + " default false: relative mode, the image's keypoints moved by the driving keypoints' displacements. Keypoint-motion models only."),
            Map.entry("n", "Number of samples (1 to the server's limit)."),
            Map.entry("seed", "Seed of the motion samples (64-bit); the same request gives the same bytes."),
            Map.entry("frames", "Frames per generated video (default T, or given if larger)."),
            Map.entry("given", "Condition on the first K frames of the image (then a video)."),
            Map.entry("steps", "Number of blends from motion A to motion B (2 to the server's limit)."));

    static Map<String, Object> document(List<ApiServer.Route> routes, ServeConfig cfg) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Dual-MTGAN image-to-video API", "version", ProjectInfo.version(),
                "description", "Motion transfer, stochastic generation, reconstruction and interpolation (docs/serve.md)."));
        Map<String, Object> paths = new TreeMap<>();
        for (ApiServer.Route r : routes) {
            if (!r.documented()) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), k -> new LinkedHashMap<>());
            item.put(r.method().toLowerCase(java.util.Locale.ROOT), operation(r, cfg));
        }
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("schemas", schemas());
        components.put("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")));
        doc.put("components", components);
        return doc;
    }

    // ---- Schema builders (plain maps: the document is written by Jackson as it is). ----

    private static Map<String, Object> obj(List<String> required, Object... namesAndSchemas) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSchemas.length; i += 2) props.put((String) namesAndSchemas[i], namesAndSchemas[i + 1]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "object");
        if (!required.isEmpty()) m.put("required", required);
        m.put("properties", props);
        return m;
    }

    private static Map<String, Object> type(String type) {
        return Map.of("type", type);
    }

    private static Map<String, Object> nullable(String type) {
        return Map.of("type", type, "nullable", true);
    }

    private static Map<String, Object> integer(long min, long max) {
        return Map.of("type", "integer", "minimum", min, "maximum", max);
    }

    private static Map<String, Object> ref(String name) {
        return Map.of("$ref", "#/components/schemas/" + name);
    }

    private static Map<String, Object> array(Map<String, Object> items) {
        return Map.of("type", "array", "items", items);
    }

    private static Map<String, Object> enumOf(String... values) {
        return Map.of("type", "string", "enum", List.of(values));
    }

    private static final List<String> JOB_STATES = java.util.Arrays.stream(Jobs.State.values())
            .map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).toList();

    /** The response objects, as the handlers build them (ApiServer, Jobs, ModelRegistry, DemoInputs, Outputs). */
    private static Map<String, Object> schemas() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Error", obj(List.of("error", "field", "requestId"), "error", type("string"),
                "field", nullable("string"), "requestId", type("string")));
        s.put("Status", obj(List.of("status"), "status", enumOf("ok", "ready", "not ready"), "reason", type("string")));
        s.put("Index", obj(List.of("endpoints", "openapi", "docs"), "endpoints", array(type("string")),
                "openapi", type("string"), "docs", type("string")));
        s.put("Health", obj(List.of("status", "version", "models", "workers", "running", "freeSlots", "jobs"),
                "status", enumOf("ok"), "version", type("string"), "models", array(type("string")),
                "workers", type("integer"), "running", type("integer"), "freeSlots", type("integer"), "jobs", type("integer")));
        Map<String, Object> card = new LinkedHashMap<>(obj(List.of(), "kind", type("string"), "config", type("string"),
                "data", Map.of("type", "string", "description", "The training data's folder name (no path)."),
                "dataFingerprint", type("string"), "step", type("integer"), "seed", type("integer"), "wallSeconds", type("number"),
                "created", type("string"), "projectVersion", type("string"), "storage", type("string"),
                "parameterCounts", Map.of("type", "object", "additionalProperties", type("integer")),
                "metrics", Map.of("type", "object", "additionalProperties", true)));
        s.put("Model", obj(List.of("name", "default", "size", "frames", "latentDim", "motion", "contentDim", "width"),
                "name", type("string"), "default", type("boolean"), "size", type("integer"), "frames", type("integer"),
                "latentDim", type("integer"), "motion", enumOf("keypoints", "latent"), "contentDim", type("integer"),
                "width", type("integer"), "card", card,
                "modelCard", Map.of("type", "string", "description", "The bundled model's MODEL_CARD.md (Markdown).")));
        s.put("Models", obj(List.of("models"), "models", array(ref("Model"))));
        s.put("Demo", obj(List.of("name", "kind", "type", "url"), "name", type("string"), "kind", type("string"),
                "label", type("string"), "model", type("string"), "type", type("string"), "url", type("string")));
        s.put("Demos", obj(List.of("demos"), "demos", array(ref("Demo"))));
        s.put("Job", obj(List.of("id", "operation", "state", "progress", "created", "url"),
                "id", type("string"), "operation", enumOf(Operations.NAMES.toArray(String[]::new)),
                "state", enumOf(JOB_STATES.toArray(String[]::new)),
                "progress", obj(List.of("framesDone", "framesTotal", "fraction"), "framesDone", type("integer"),
                        "framesTotal", type("integer"), "fraction", Map.of("type", "number", "minimum", 0, "maximum", 1)),
                "created", Map.of("type", "string", "format", "date-time"),
                "finished", Map.of("type", "string", "format", "date-time"),
                "expires", Map.of("type", "string", "format", "date-time"),
                "error", obj(List.of("status", "error", "field"), "status", type("integer"), "error", type("string"),
                        "field", nullable("string")),
                "url", type("string"), "result", type("string")));
        s.put("Jobs", obj(List.of("jobs"), "jobs", array(ref("Job"))));
        s.put("JobDeleted", obj(List.of("id", "state"), "id", type("string"),
                "state", Map.of("type", "string", "description", "deleted (an ended job and its files are gone) or the job's state after the cancel")));
        Map<String, Object> item = obj(List.of("name", "frames", "width", "height", "fps"), "name", type("string"),
                "frames", type("integer"), "width", type("integer"), "height", type("integer"), "fps", type("number"));
        @SuppressWarnings("unchecked")
        Map<String, Object> itemProps = (Map<String, Object>) item.get("properties");
        for (Outputs.Format f : Outputs.Format.values()) {
            if (f != Outputs.Format.JSON) itemProps.put(f.ext, Map.of("type", "string", "format", "byte", "description", "With media=" + f.ext + ": the " + f.ext + " file, base64."));
        }
        s.put("Result", obj(List.of("operation", "model", "items"), "operation", enumOf(Operations.NAMES.toArray(String[]::new)),
                "model", type("string"), "transferMode", enumOf("relative", "absolute"), "n", type("integer"),
                "seed", Map.of("type", "integer", "format", "int64"), "frames", type("integer"), "given", type("integer"),
                "steps", type("integer"), "weights", array(type("number")), "items", array(item),
                "sheet", Map.of("type", "string", "format", "byte", "description", "With sheet=true: the contact sheet (PNG), base64.")));
        return s;
    }

    private static Map<String, Object> json(Map<String, Object> schema) {
        return Map.of("application/json", Map.of("schema", schema));
    }

    /** What a synthesis answers: the file in the asked format, a ZIP of several, a sheet or the JSON document. */
    private static Map<String, Object> resultContent() {
        Map<String, Object> c = new LinkedHashMap<>();
        for (Outputs.Format f : Outputs.Format.values()) {
            if (f != Outputs.Format.JSON) c.put(f.contentType, Map.of("schema", Map.of("type", "string", "format", "binary")));
        }
        c.put("application/zip", Map.of("schema", Map.of("type", "string", "format", "binary")));
        c.put("application/json", Map.of("schema", ref("Result")));
        return c;
    }

    /** The success answer of each documented route, by route id; a documented route without one is a bug. */
    private static Map<String, Object> success(ApiServer.Route r) {
        String id = r.operation() != null ? (r.id().endsWith("Job") ? "operationJob" : "operation") : r.id();
        Map<String, Object> content = switch (id) {
            case "openapi" -> json(Map.of("type", "object", "description", "This OpenAPI 3.0 document."));
            case "liveness", "readiness" -> json(ref("Status"));
            case "metrics" -> Map.of("text/plain", Map.of("schema", Map.of("type", "string", "description", "Prometheus text format 0.0.4")));
            case "index" -> json(ref("Index"));
            case "health" -> json(ref("Health"));
            case "models" -> json(ref("Models"));
            case "demos" -> json(ref("Demos"));
            case "demo" -> Map.of("application/octet-stream", Map.of("schema", Map.of("type", "string", "format", "binary",
                    "description", "The input's bytes, with its own Content-Type (image/png, image/gif, video/mp4, ...).")));
            case "operation", "jobResult" -> resultContent();
            case "operationJob", "job" -> json(ref("Job"));
            case "jobs" -> json(ref("Jobs"));
            case "cancelJob" -> json(ref("JobDeleted"));
            default -> throw new IllegalStateException("route " + r.id() + " has no response schema in OpenApi");
        };
        return Map.of("description", r.successDescription(), "content", content);
    }

    private static Map<String, Object> operation(ApiServer.Route r, ServeConfig cfg) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", r.id());
        op.put("summary", r.summary());
        List<Map<String, Object>> params = new java.util.ArrayList<>();
        for (String seg : r.path().split("/")) {
            if (seg.startsWith("{") && seg.endsWith("}")) {
                params.add(Map.of("name", seg.substring(1, seg.length() - 1), "in", "path", "required", true,
                        "schema", Map.of("type", "string")));
            }
        }
        if (!params.isEmpty()) op.put("parameters", params);
        if (r.operation() != null) op.put("requestBody", form(r.operation(), cfg));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(r.success(), success(r));
        for (String code : r.errors()) {
            // The readiness probe's 503 is its status object, as its 200 is.
            Map<String, Object> schema = r.id().equals("readiness") ? ref("Status") : ref("Error");
            responses.put(code, Map.of("description", describe(code), "content", json(schema)));
        }
        if ((r.api() || r.id().equals("metrics")) && cfg.tokenRequired()) {
            responses.put("401", Map.of("description", describe("401"), "content", json(ref("Error"))));
        }
        if (r.api()) {
            responses.put("403", Map.of("description", describe("403"), "content", json(ref("Error"))));
            if (r.operation() != null) responses.put("408", Map.of("description", describe("408"), "content", json(ref("Error"))));
            op.put("security", List.of(Map.of("bearer", List.of())));
        }
        op.put("responses", new TreeMap<>(responses));
        return op;
    }

    private static Map<String, Object> form(String operation, ServeConfig cfg) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String f : new java.util.TreeSet<>(Operations.common())) props.put(f, field(f, cfg));
        for (String f : Operations.TEXT.get(operation)) props.put(f, field(f, cfg));
        for (String f : Operations.INPUTS.get(operation)) {
            props.put(f, Map.of("type", "string", "format", "binary", "description", "An image or video file (docs/serve.md, Inputs)."));
            props.put(f + "Demo", Map.of("type", "string", "description", "Instead of the file: the name of an example input (GET /api/v1/demos)."));
        }
        Map<String, Object> schema = Map.of("type", "object", "properties", props);
        return Map.of("required", true, "content", Map.of("multipart/form-data", Map.of("schema", schema),
                "application/x-www-form-urlencoded", Map.of("schema", schema)));
    }

    /** A form field's type, bounds and default, as {@link Operations} checks them with this server's limits. */
    static Map<String, Object> field(String name, ServeConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (name) {
            case "format" -> {
                m.put("type", "string");
                m.put("enum", java.util.Arrays.stream(Outputs.Format.values()).map(f -> f.ext).toList());
                m.put("default", "gif");
            }
            case "sheet", "absolute" -> {
                m.put("type", "boolean");
                m.put("default", false);
            }
            case "media" -> {
                m.put("type", "string");
                String one = "(" + java.util.Arrays.stream(Outputs.Format.values()).filter(f -> f != Outputs.Format.JSON)
                        .map(f -> f.ext).collect(java.util.stream.Collectors.joining("|")) + ")";
                m.put("pattern", "^" + one + "(," + one + ")*$");
            }
            case "imageCrop", "drivingCrop" -> {
                m.put("type", "string");
                m.put("pattern", "^(center|none|[0-9]+,[0-9]+,[0-9]+,[0-9]+)$");
                m.put("default", "center");
            }
            case "maxFrames", "frames" -> m.putAll(integer(1, cfg.maxFrames));
            case "given" -> {
                m.putAll(integer(1, cfg.maxFrames));
                m.put("default", 1);
            }
            case "n" -> {
                m.putAll(integer(1, cfg.maxSamples));
                m.put("default", 1);
            }
            case "steps" -> {
                m.putAll(integer(2, cfg.maxSamples));
                m.put("default", 5);
            }
            case "seed" -> {
                m.put("type", "integer");
                m.put("format", "int64");
                m.put("default", 0);
            }
            default -> m.put("type", "string");
        }
        m.put("description", FIELD_HELP.getOrDefault(name, name));
        return m;
    }

    private static String describe(String code) {
        return switch (code) {
            case "400" -> "Bad input: the message names the file or field.";
            case "401" -> "Missing or wrong bearer token.";
            case "403" -> "A server without a token: a Host that is not a loopback name, or a POST from another origin.";
            case "408" -> "The upload stalled or came slower than the server's minimum data rate.";
            case "404" -> "Unknown model, example input or job.";
            case "409" -> "The job has not finished.";
            case "413" -> "Request body over the upload limit.";
            case "415" -> "Unknown format or Content-Type.";
            case "503" -> "All slots busy; Retry-After says when to retry.";
            default -> code;
        };
    }
}
