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

    static Map<String, Object> document(List<ApiServer.Route> routes, boolean auth) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Dual-MTGAN image-to-video API", "version", ProjectInfo.version(),
                "description", "Motion transfer, stochastic generation, reconstruction and interpolation (docs/serve.md)."));
        Map<String, Object> paths = new TreeMap<>();
        for (ApiServer.Route r : routes) {
            if (!r.documented()) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), k -> new LinkedHashMap<>());
            item.put(r.method().toLowerCase(java.util.Locale.ROOT), operation(r, auth));
        }
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("schemas", Map.of("Error", Map.of("type", "object", "required", List.of("error", "field"),
                "properties", Map.of("error", Map.of("type", "string"), "field", Map.of("type", "string", "nullable", true)))));
        components.put("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")));
        doc.put("components", components);
        return doc;
    }

    private static Map<String, Object> operation(ApiServer.Route r, boolean auth) {
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
        if (r.operation() != null) op.put("requestBody", form(r.operation()));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(r.success(), Map.of("description", r.successDescription()));
        for (String code : r.errors()) {
            responses.put(code, Map.of("description", describe(code),
                    "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error")))));
        }
        if (r.api() && auth) responses.put("401", Map.of("description", describe("401")));
        op.put("responses", responses);
        if (r.api()) op.put("security", List.of(Map.of("bearer", List.of())));
        return op;
    }

    private static Map<String, Object> form(String operation) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String f : new java.util.TreeSet<>(Operations.common())) props.put(f, text(f));
        for (String f : Operations.TEXT.get(operation)) props.put(f, text(f));
        for (String f : Operations.INPUTS.get(operation)) {
            props.put(f, Map.of("type", "string", "format", "binary", "description", "An image or video file (docs/serve.md, Inputs)."));
            props.put(f + "Demo", Map.of("type", "string", "description", "Instead of the file: the name of an example input (GET /api/v1/demos)."));
        }
        Map<String, Object> schema = Map.of("type", "object", "properties", props);
        return Map.of("required", true, "content", Map.of("multipart/form-data", Map.of("schema", schema),
                "application/x-www-form-urlencoded", Map.of("schema", schema)));
    }

    private static Map<String, Object> text(String field) {
        return Map.of("type", "string", "description", FIELD_HELP.getOrDefault(field, field));
    }

    private static String describe(String code) {
        return switch (code) {
            case "400" -> "Bad input: the message names the file or field.";
            case "401" -> "Missing or wrong bearer token.";
            case "404" -> "Unknown model, example input or job.";
            case "409" -> "The job has not finished.";
            case "413" -> "Request body over the upload limit.";
            case "415" -> "Unknown format or Content-Type.";
            case "503" -> "All slots busy; Retry-After says when to retry.";
            default -> code;
        };
    }
}
