package org.dualmtgan.demo;

import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.animate.ModelBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The demo's index.html in headless Chromium at 1280 px: every strip fits the window whole, at its own aspect. */
class DemoPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    @Test
    void everyStripFitsA1280PixelWindow() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
        String old = System.getProperty("dualmtgan.models");
        Path models = tmp.resolve("models");
        System.setProperty("dualmtgan.models", models.toString());
        Demo.Result r;
        try {
            ModelBundle.bundle(TinyModel.shared(), "weizmann-64", models, List.of(), false, null);
            Demo.Options o = new Demo.Options();
            o.out = tmp.resolve("demo");
            o.samples = 24; // a strip of 24 videos: wider than the window at twice its size
            o.frames = 4;
            r = Demo.run(o);
        } finally {
            if (old == null) System.clearProperty("dualmtgan.models");
            else System.setProperty("dualmtgan.models", old);
        }
        Path profile = Files.createTempDirectory(tmp, "chromium-");
        ChromeOptions co = new ChromeOptions();
        co.setBinary(CHROMIUM.toFile());
        co.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--allow-file-access-from-files", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, co);
        try {
            browser.get(r.index().toUri().toString());
            JavascriptExecutor js = (JavascriptExecutor) browser;
            // Wait for every image to load, then measure each against the window.
            for (int i = 0; i < 100 && !(Boolean) js.executeScript("return [...document.images].every(i => i.complete && i.naturalWidth > 0)"); i++) {
                Thread.sleep(100);
            }
            long viewport = (Long) js.executeScript("return document.documentElement.clientWidth");
            assertTrue(viewport <= 1280 && viewport > 1000, "viewport " + viewport);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> images = (List<Map<String, Object>>) js.executeScript(
                    "return [...document.images].map(i => { const b = i.getBoundingClientRect();"
                            + " return {src: i.getAttribute('src'), left: b.left, right: b.right, w: b.width, h: b.height,"
                            + " nw: i.naturalWidth, nh: i.naturalHeight, attr: i.width}; })");
            assertFalse(images.isEmpty());
            boolean scaledDown = false;
            for (Map<String, Object> im : images) {
                double right = ((Number) im.get("right")).doubleValue();
                double w = ((Number) im.get("w")).doubleValue();
                double h = ((Number) im.get("h")).doubleValue();
                double nw = ((Number) im.get("nw")).doubleValue();
                double nh = ((Number) im.get("nh")).doubleValue();
                assertTrue(right <= viewport + 0.5, im.get("src") + " ends at " + right + " px, past the " + viewport + " px window");
                assertTrue(((Number) im.get("left")).doubleValue() >= 0, im.get("src") + " starts left of the window");
                // Borders are 1 px each side.
                assertEquals(nw / nh, (w - 2) / (h - 2), 0.03 * nw / nh, im.get("src") + " keeps its aspect");
                if (String.valueOf(im.get("src")).endsWith("samples.gif")) scaledDown = w < 2 * nw;
            }
            assertTrue(scaledDown, "the 24-sample strip is wider than the window at twice its size, so it is scaled down: " + images);
        } finally {
            browser.quit();
        }
    }
}
