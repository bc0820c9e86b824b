package org.dualmtgan.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.Video;
import org.dualmtgan.synth.Domains;
import org.dualmtgan.synth.Split;
import org.dualmtgan.synth.SynthClip;
import org.dualmtgan.synth.SynthDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class EvaluationTest {
    static Animator model;

    @BeforeAll
    static void load() throws IOException {
        model = Animator.load(TinyModel.shared());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static List<EvalData.Clip> clips() {
        return List.of(new EvalData.Clip("a", TinyModel.squareVideo(11, TinyModel.FRAMES)),
                new EvalData.Clip("b", TinyModel.squareVideo(12, TinyModel.FRAMES)));
    }

    static double score(EvalResult r, String clip, String method, String metric) {
        for (EvalResult.ClipScore s : r.scores) if (s.clip().equals(clip) && s.method().equals(method)) return s.values().get(metric);
        throw new AssertionError("no score " + clip + "/" + method + "/" + metric);
    }

    @Test
    void stochasticScoresBestOfNMeanOfNAndTheStaticBaseline() {
        Evaluation.Options o = new Evaluation.Options();
        o.samples = 3;
        o.seed = 4;
        EvalResult r = Evaluation.stochastic(model, clips(), o);
        assertEquals(List.of(Evaluation.MODEL, Evaluation.STATIC), r.methods);
        for (String c : List.of("a", "b")) {
            double best = score(r, c, Evaluation.MODEL, EvalResult.SSIM_BEST);
            double mean = score(r, c, Evaluation.MODEL, EvalResult.SSIM_MEAN);
            assertTrue(best >= mean && best <= 1, "best-of-N >= mean-of-N: " + best + " " + mean);
            assertTrue(score(r, c, Evaluation.MODEL, Diversity.DIV_L1) >= 0);
        }
        // The static row, recomputed independently: frame 0 repeated against frames 1..T-1.
        Video v = clips().get(0).video();
        Video still = Evaluation.repeat(v.frame(0), v.frames() - 1);
        assertEquals(Metrics.ssim(still, v.slice(1, v.frames())), score(r, "a", Evaluation.STATIC, EvalResult.SSIM_BEST), 1e-12);
        assertEquals(0.0, score(r, "a", Evaluation.STATIC, Diversity.DIV_1_SSIM));
        // Best-of-N over 3 samples: the first sample alone (the same draw: seeds give prefixes) cannot beat it.
        Evaluation.Options one = new Evaluation.Options();
        one.samples = 1;
        one.seed = 4;
        EvalResult r1 = Evaluation.stochastic(model, clips(), one);
        assertTrue(score(r1, "a", Evaluation.MODEL, EvalResult.SSIM_BEST) <= score(r, "a", Evaluation.MODEL, EvalResult.SSIM_BEST) + 1e-12);
        assertEquals(7, r.meanCurve(Evaluation.MODEL + " best-of-3").length, "one value per predicted frame");
        // Seeded and deterministic.
        EvalResult again = Evaluation.stochastic(model, clips(), o);
        assertEquals(EvalReport.csv(r), EvalReport.csv(again));
    }

    @Test
    void conditioningOnKFramesScoresOnlyTheFramesAfterThem() {
        Evaluation.Options o = new Evaluation.Options();
        o.samples = 2;
        o.cond = 3;
        EvalResult r = Evaluation.stochastic(model, clips(), o);
        assertEquals(3, r.firstScoredFrame);
        assertEquals(TinyModel.FRAMES - 3, r.meanCurve(Evaluation.STATIC).length);
        Video v = clips().get(1).video();
        Video still = Evaluation.repeat(v.frame(2), v.frames() - 3);
        assertEquals(Metrics.ssim(still, v.slice(3, v.frames())), score(r, "b", Evaluation.STATIC, EvalResult.SSIM_BEST), 1e-12);
    }

    @Test
    void reconstructionScoresTheModelAgainstTheClip() {
        EvalResult r = Evaluation.reconstruction(model, clips(), new Evaluation.Options());
        Video v = clips().get(1).video();
        Video rec = model.reconstruct(v);
        assertEquals(Metrics.ssim(rec.slice(1, v.frames()), v.slice(1, v.frames())), score(r, "b", Evaluation.MODEL, EvalResult.SSIM), 1e-12);
        assertEquals(Metrics.l1(rec.slice(1, v.frames()), v.slice(1, v.frames())), score(r, "b", Evaluation.MODEL, EvalResult.L1), 1e-12);
        // The latent row: the clip through E_M's posterior mean and R, from its first frame.
        Video latent = model.sample(v.frame(0), new float[][] {model.encodeMotion(v)}, v.frames()).get(0);
        assertEquals(Metrics.ssim(latent.slice(1, v.frames()), v.slice(1, v.frames())), score(r, "b", Evaluation.LATENT, EvalResult.SSIM), 1e-12);
        EvalResult.Summary s = r.summary(Evaluation.STATIC, EvalResult.SSIM);
        assertEquals(2, s.n());
        double a = score(r, "a", Evaluation.STATIC, EvalResult.SSIM), b = score(r, "b", Evaluation.STATIC, EvalResult.SSIM);
        assertEquals((a + b) / 2, s.mean(), 1e-12);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), s.std(), 1e-12, "sample std of two values");
        assertFalse(r.metrics.contains(Evaluation.LPIPS), "no LPIPS without weights");
    }

    @Test
    void lpipsColumnsAppearOnlyWithWeights() {
        Evaluation.Options o = new Evaluation.Options();
        try (Lpips lpips = Lpips.random(5)) {
            o.lpips = lpips;
            EvalResult r = Evaluation.reconstruction(model, List.of(new EvalData.Clip("a", clips().get(0).video())), o);
            assertTrue(r.metrics.contains(Evaluation.LPIPS));
            Video v = clips().get(0).video();
            Video still = Evaluation.repeat(v.frame(0), v.frames() - 1);
            assertEquals(lpips.distance(still, v.slice(1, v.frames())), score(r, "a", Evaluation.STATIC, Evaluation.LPIPS), 1e-9);
        }
    }

    @Test
    void transferHasGroundTruthAndTheFailureModes(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("faces");
        SynthDataset.generate("faces", 4, 12, 32, 9, Split.TEST, dir);
        EvalData.Selection s = new EvalData.Selection();
        s.data = dir;
        s.stride = 1;
        EvalData.TransferSet set = EvalData.transferCases(s, null, TinyModel.SIZE, TinyModel.FRAMES, 3);
        assertEquals(4, set.cases().size());
        Set<String> motions = new HashSet<>();
        for (EvalData.TransferCase c : set.cases()) {
            assertNotEquals(c.contentClip(), c.motionClip(), "no clip drives itself");
            motions.add(c.motionClip());
            assertEquals(TinyModel.FRAMES, c.truth().frames());
            assertEquals(TinyModel.FRAMES, c.keypoints().length);
        }
        assertEquals(4, motions.size(), "every clip's motion is used once");
        // The target image is the content clip's first frame as stored on disk.
        EvalData.TransferCase c0 = set.cases().get(0);
        Video disk = MediaReader.readVideo(dir.resolve(c0.contentClip()), MediaReader.Layout.FRAMES);
        assertArrayEquals(disk.frame(0).data(), c0.image().data());
        // The truth goes through the disk's 8-bit path: a clip's own content and motion, so rendered, equal its stored frames.
        SynthClip own = SynthClip.read(dir.resolve(c0.motionClip()));
        Video rendered = EvalData.quantize(Domains.byName(own.domain()).render(own.content(), own.motion(), own.frames(), own.size()));
        assertArrayEquals(MediaReader.readVideo(dir.resolve(c0.motionClip()), MediaReader.Layout.FRAMES).data(), rendered.data());
        assertNotEquals(0.0, Metrics.l1(c0.truth(), c0.driving()), "the truth has the target's content, not the driver's");

        EvalResult r = Evaluation.transfer(model, set.cases(), new Evaluation.Options());
        assertEquals(List.of(Evaluation.MODEL, Evaluation.STATIC, Evaluation.CONTENT_ONLY, Evaluation.MOTION_ONLY, Evaluation.GROUND_TRUTH),
                r.methods);
        String id = c0.id();
        assertEquals(1.0, score(r, id, Evaluation.GROUND_TRUTH, EvalResult.SSIM), 1e-12);
        assertEquals(0.0, score(r, id, Evaluation.GROUND_TRUTH, EvalResult.L1), 0);
        assertEquals(Metrics.ssim(c0.driving(), c0.truth()), score(r, id, Evaluation.MOTION_ONLY, EvalResult.SSIM), 1e-12);
        Video copied = Evaluation.repeat(c0.image(), TinyModel.FRAMES);
        assertEquals(Metrics.psnr(copied, c0.truth()), score(r, id, Evaluation.CONTENT_ONLY, EvalResult.PSNR), 1e-9);
        assertTrue(score(r, id, Evaluation.MODEL, EvalResult.KP_ERR) >= 0);
    }

    @Test
    void derangementsNeverFixAPoint() {
        for (int n = 2; n < 30; n++) {
            int[] p = EvalData.derangement(n, n * 7L);
            boolean[] hit = new boolean[n];
            for (int i = 0; i < n; i++) {
                assertNotEquals(i, p[i]);
                hit[p[i]] = true;
            }
            for (boolean h : hit) assertTrue(h, "a permutation");
            assertArrayEquals(p, EvalData.derangement(n, n * 7L), "seeded");
        }
    }

    @Test
    void reportsWriteTheTableEveryClipAndThePlot(@TempDir Path tmp) throws IOException {
        Evaluation.Options o = new Evaluation.Options();
        o.samples = 2;
        EvalResult r = Evaluation.stochastic(model, clips(), o);
        r.meta.put("seed", 0);
        List<Path> files = EvalReport.write(r, EvalReport.base(tmp.resolve("out/stoch.md")));
        assertEquals(tmp.resolve("out/stoch.md"), files.get(0));
        String md = Files.readString(files.get(0));
        assertTrue(md.contains("| model | 2 |") && md.contains("| static | 2 |"), md);
        assertTrue(md.contains("NOT LPIPS"), "the diversity stand-ins are named as not LPIPS");
        assertTrue(md.contains("Gaussian window 11x11"), "the SSIM definition is stated");
        List<String> csv = Files.readAllLines(files.get(1));
        assertEquals(1 + 2 * 2, csv.size(), "a header and one row per clip and method");
        assertEquals("clip,method,ssim-best,ssim-mean,psnr-best,div-1-ssim,div-l1", csv.get(0));
        JsonNode json = new ObjectMapper().readTree(files.get(2).toFile());
        assertEquals("stochastic", json.get("protocol").asText());
        assertEquals(4, json.get("clips").size());
        assertEquals(r.summary(Evaluation.MODEL, EvalResult.SSIM_BEST).mean(),
                json.get("summary").get("model").get("ssim-best").get("mean").asDouble(), 1e-12);
        BufferedImage png = ImageIO.read(files.get(3).toFile());
        assertEquals(960, png.getWidth(), "the plot at its stated size");
    }
}
