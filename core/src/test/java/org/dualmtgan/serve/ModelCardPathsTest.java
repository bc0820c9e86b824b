package org.dualmtgan.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.animate.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** GET /api/v1/models carries no folder of the training machine: its model cards show paths relative or by name. */
class ModelCardPathsTest {
    @TempDir
    Path tmp;

    @Test
    void theModelListingShowsNoAbsolutePath() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("models").resolve("x"));
        Files.copy(TinyModel.shared(), dir.resolve("model.ckpt"));
        Files.writeString(dir.resolve("MODEL_CARD.md"), "# Model card: x\n\n| data | `/home/trainer/datasets/faces-train` |\n"
                + "- model: /home/trainer/work/models/x/model.ckpt\n```json\n{\"path\" : \"/home/trainer/shared/data/weizmann\"}\n```\n");
        String old = System.getProperty("dualmtgan.models");
        System.setProperty("dualmtgan.models", tmp.resolve("models").toString());
        try (Animator a = Animator.load(dir.resolve("model.ckpt"))) {
            String json = new ObjectMapper().writeValueAsString(ModelRegistry.card("x", a, true));
            assertTrue(json.contains("Model card: x"), "the card is served: " + json);
            assertFalse(json.contains("/home/trainer") || json.contains(tmp.toString()), json);
            assertTrue(json.contains("faces-train") && json.contains("weizmann"), json);
        } finally {
            if (old == null) System.clearProperty("dualmtgan.models");
            else System.setProperty("dualmtgan.models", old);
        }
    }

    @Test
    void noAnswerOfTheApiCarriesAPathWithABundledModelLoaded() throws Exception {
        // The repository's models/ (tests run in the repository's root or in core/).
        Path repoModels = (Files.isDirectory(Path.of("models", "weizmann-64")) ? Path.of("models") : Path.of("..", "models"))
                .toAbsolutePath().normalize();
        Path ckpt = repoModels.resolve("weizmann-64").resolve("model.ckpt");
        assertTrue(Files.isRegularFile(ckpt), "the bundled weizmann-64 is in the repository: " + ckpt);
        String old = System.getProperty("dualmtgan.models");
        System.setProperty("dualmtgan.models", repoModels.toString());
        ServeConfig c = new ServeConfig();
        c.port = 0;
        c.workers = 1;
        c.queue = 1;
        c.tempDir = tmp.resolve("serve-tmp");
        try (ModelRegistry models = new ModelRegistry()) {
            models.load("weizmann-64", ckpt.toString());
            try (ApiServer server = ApiServer.start(c, models, null)) {
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                List<String> answers = new java.util.ArrayList<>();
                for (String path : List.of("/api/v1", "/api/v1/health", "/api/v1/models", "/api/v1/demos", "/openapi.json",
                        "/metrics", "/readyz", "/api/v1/jobs", "/api/v1/jobs/x%00y/result", "/nope")) {
                    answers.add(path + " -> " + client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                }
                // A bad upload's message names the client's file name, not the server's copy of it.
                ApiServerTest.Multi bad = new ApiServerTest.Multi().file("image", "notes.txt", "not an image".getBytes())
                        .field("n", "2");
                for (String path : List.of("/api/v1/generate", "/api/v1/jobs/generate")) {
                    java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve(path))
                            .header("Content-Type", "multipart/form-data; boundary=" + bad.boundary)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bad.body())).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertEquals(400, r.statusCode(), r.body());
                    assertTrue(r.body().contains("notes.txt"), r.body());
                    answers.add(path + " -> " + r.body());
                }
                java.util.regex.Pattern absolute = java.util.regex.Pattern.compile("(?<![A-Za-z0-9.:/])/(home|root|work|tmp|var|usr|opt|mnt|Users)/");
                for (String a : answers) {
                    assertFalse(a.contains(repoModels.getParent().toString()), "the repository's folder in " + a);
                    assertFalse(a.contains(tmp.toString()), "the server's temporary folder in " + a);
                    assertFalse(a.contains(System.getProperty("user.home") + "/"), "the home folder in " + a);
                    assertFalse(absolute.matcher(a).find(), "an absolute path in " + a);
                }
                // The real card matches the description's Model schema.
                com.fasterxml.jackson.databind.JsonNode doc = new ObjectMapper().readTree(answers.get(4).substring("/openapi.json -> ".length()));
                com.fasterxml.jackson.databind.JsonNode list = new ObjectMapper().readTree(answers.get(2).substring("/api/v1/models -> ".length()));
                assertEquals(List.of(), JobsAndAuthTest.Schemas.problems(list, doc.get("components").get("schemas").get("Models"), doc));
                assertTrue(list.get("models").get(0).get("modelCard").asText().contains("weizmann"), "the card is served");
            }
        } finally {
            if (old == null) System.clearProperty("dualmtgan.models");
            else System.setProperty("dualmtgan.models", old);
        }
    }
}
