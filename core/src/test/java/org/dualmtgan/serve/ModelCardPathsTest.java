package org.dualmtgan.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.animate.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
