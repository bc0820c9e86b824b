package org.dualmtgan.eval;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.SharedData;
import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.cli.CliRun.Result;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.run.Checkpoint;
import org.dualmtgan.run.TrainConfig;
import org.dualmtgan.eval.Ablation;
import org.dualmtgan.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.dualmtgan.cli.CliRun.run;

/** The {@code eval} and {@code ablate} commands end to end. */
class EvalCommandsTest {
    static String model;

    @BeforeAll
    static void train() throws IOException {
        model = TinyModel.shared().toString();
    }

    static Path data(String relative) {
        return SharedData.path(relative);
    }

    @Test
    void evalPrintsTheTableAndWritesEveryOutput(@TempDir Path tmp) {
        Result r = run("eval", "--model", model, "--protocol", "stochastic", "--data", data("bair").toString(),
                "--samples", "2", "--clips", "1", "--out", tmp.resolve("s.md").toString());
        assertEquals(0, r.code(), r.text());
        assertTrue(r.text().contains("| model | 1 |") && r.text().contains("| static | 1 |"), r.text());
        assertTrue(r.text().contains("NOT LPIPS"), r.text());
        for (String f : List.of("s.md", "s.csv", "s.json", "s-ssim-per-frame.png")) assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
    }

    @Test
    void badInputExitsTwoWithOneLine(@TempDir Path tmp) {
        Result r = run("eval", "--model", model, "--protocol", "sideways", "--data", data("bair").toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().startsWith("error: unknown --protocol 'sideways'"), r.text());
        assertEquals(1, r.text().strip().lines().count(), r.text());

        r = run("eval", "--model", model, "--protocol", "transfer", "--out", tmp.resolve("t").toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains("error: the transfer protocol needs --data DIR"), r.text());

        r = run("eval", "--model", tmp.resolve("missing.ckpt").toString(), "--protocol", "reconstruction");
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().startsWith("error: ") && r.text().contains("missing.ckpt"), r.text());

        r = run("eval", "--model", model, "--protocol", "transfer", "--data", data("bair").toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains("no synthetic clips"), r.text());

        r = run("ablate", "--config", "configs/tiny.json", "--budget", "0", "--out", tmp.resolve("a").toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains("--budget must be >= 1"), r.text());
        assertFalse(Files.exists(tmp.resolve("a")), "nothing is trained for a bad budget");

        r = run("ablate", "--config", "configs/tiny.json", "--budget", "1", "--protocol", "transfer", "--out", tmp.resolve("b").toString());
        assertEquals(2, r.code(), r.text());
        assertTrue(r.text().contains("--eval-data DIR"), r.text());
        assertFalse(Files.exists(tmp.resolve("b")), "refused before any training");
    }

    @Test
    void variantsSwitchOffExactlyTheirTerm() {
        TrainConfig base = TrainConfig.read(Path.of("configs/tiny.json"));
        ModelConfig full = Ablation.variant(base, "full").model;
        assertEquals(base.model.lambdaC, full.lambdaC);
        assertEquals(0.0, Ablation.variant(base, "no-L_C").model.lambdaC);
        assertEquals(0.0, Ablation.variant(base, "no-L_M").model.lambdaM);
        assertEquals(0.0, Ablation.variant(base, "no-D_I").model.lambdaI);
        assertEquals(0.0, Ablation.variant(base, "no-D_V").model.lambdaV);
        ModelConfig noKl = Ablation.variant(base, "no-KL").model;
        assertEquals(0.0, noKl.lambdaKL);
        // Only that term: the others keep the config's weights.
        assertEquals(base.model.lambdaRec, noKl.lambdaRec);
        assertEquals(base.model.lambdaM, noKl.lambdaM);
        assertEquals(base.model.lambdaI, noKl.lambdaI);
        assertNotEquals(0.0, base.model.lambdaKL, "the base config itself is untouched");
        assertThrows(InvalidInputException.class, () -> Ablation.variant(base, "no-everything"));
    }

    @Test
    void ablateTrainsAndEvaluatesEveryVariantOfTheTinyConfig(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("abl");
        Result r = run("ablate", "--config", "configs/tiny.json", "--data", data("bair").toString(), "--budget", "1",
                "--clips", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.text());
        String md = Files.readString(out.resolve("ablation-reconstruction.md"));
        for (String v : Ablation.VARIANTS) {
            assertTrue(md.contains("| " + v + " | 1 |"), v + " row in\n" + md);
            Path ckpt = Trainer.latestCheckpoint(out.resolve(v));
            assertEquals(1, Checkpoint.readInfo(ckpt).step, v + " trained for the budget");
            assertTrue(Files.isRegularFile(out.resolve(v).resolve("eval-reconstruction.md")));
        }
        assertTrue(md.contains("| static | 1 |"), md);
        assertEquals(0.0, TrainConfig.read(out.resolve("no-L_M/config.json")).model.lambdaM);
        assertEquals(1.0, TrainConfig.read(out.resolve("full/config.json")).model.lambdaM);
        assertEquals(1 + 7, Files.readAllLines(out.resolve("ablation-reconstruction.csv")).size(), "six variants and the baseline, one clip");
    }

    @Test
    void aStoppedAblationResumesMidVariantFromTheConfigsCheckpoints(@TempDir Path tmp) throws IOException {
        // A config that checkpoints every 2 steps: a 3-step budget leaves checkpoints at 2 and 3, so a
        // variant stopped after step 2 would continue there instead of starting again.
        String json = Files.readString(Path.of("configs/tiny.json")).replace("\"checkpointEvery\": 10", "\"checkpointEvery\": 2");
        assertTrue(json.contains("\"checkpointEvery\": 2"), "tiny.json changed its checkpoint cadence");
        Path cfg = tmp.resolve("tiny-every-2.json");
        Files.writeString(cfg, json);
        Path out = tmp.resolve("abl");
        Result r = run("ablate", "--config", cfg.toString(), "--data", data("bair").toString(), "--budget", "3",
                "--variants", "full", "--clips", "1", "--train-seed", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.text());
        assertEquals(7, TrainConfig.read(out.resolve("full/config.json")).train.seed, "--train-seed reaches the variant's run");
        assertTrue(Files.readString(out.resolve("ablation-reconstruction.md")).contains("- training seed: 7"));
        List<Path> ckpts = Trainer.listCheckpoints(out.resolve("full/checkpoints"));
        assertEquals(List.of("step-00000002.ckpt", "step-00000003.ckpt"),
                ckpts.stream().map(p -> p.getFileName().toString()).toList());
        // A larger budget continues the same run from step 3.
        r = run("ablate", "--config", cfg.toString(), "--data", data("bair").toString(), "--budget", "4",
                "--variants", "full", "--clips", "1", "--train-seed", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.text());
        assertEquals(4, Checkpoint.readInfo(Trainer.latestCheckpoint(out.resolve("full"))).step);
        assertTrue(r.text().contains("resuming full from step 3 of 4"), r.text());
    }
}
