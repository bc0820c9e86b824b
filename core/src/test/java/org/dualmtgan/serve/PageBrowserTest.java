package org.dualmtgan.serve;

import org.dualmtgan.animate.TinyModel;
import org.dualmtgan.media.MediaReader;
import org.dualmtgan.media.MediaWriter;
import org.dualmtgan.media.Video;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web page in headless Chromium (Debian's chromium and chromium-driver, installed by .ci/run),
 * driven by Selenium: the token prompt, a job from example inputs and one from an upload with the
 * progress bar moving, results whose GIFs decode to the expected frame count, and a clear message
 * for a bad upload.
 */
class PageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final String TOKEN = "browser-token-42";
    static ApiServer server;
    static WebDriver browser;
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
        ApiServerTest.start();
        ServeConfig c = ApiServerTest.config(2);
        c.token = TOKEN;
        server = ApiServer.start(c, ApiServerTest.models, null);
        // Each progress report waits a little, so the page sees the bar between start and end.
        server.jobs().onProgress = j -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        profile = Files.createTempDirectory("dualmtgan-chromium-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, o);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) {
            server.close();
            ApiServerTest.stop();
        }
        if (profile != null) org.dualmtgan.util.AtomicFiles.deleteRecursively(profile);
    }

    static WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(20));
    }

    /** Clicks Run and records the progress bar's values until the status says done (or an error shows). */
    static List<Double> runAndWatch() {
        browser.findElement(By.id("run")).click();
        Set<Double> values = new LinkedHashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            WebElement box = browser.findElement(By.id("progress-box"));
            if (box.isDisplayed()) values.add(Double.parseDouble(browser.findElement(By.id("progress")).getDomProperty("value")));
            String status = browser.findElement(By.id("status")).getText();
            if (status.startsWith("Done") || browser.findElement(By.id("error")).isDisplayed()) break;
        }
        return new ArrayList<>(values);
    }

    /** The bytes of a result image, fetched from its blob URL inside the page. */
    static byte[] imageBytes(WebElement img) {
        Object b64 = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0].src).then(r => r.arrayBuffer()).then(buf => {"
                        + "  let s = ''; const a = new Uint8Array(buf); for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);"
                        + "  done(btoa(s)); });", img);
        return Base64.getDecoder().decode((String) b64);
    }

    static int gifFrames(byte[] gif) throws Exception {
        Path f = Files.createTempFile("dualmtgan-page-", ".gif");
        try {
            Files.write(f, gif);
            Video v = MediaReader.readVideo(f, MediaReader.Layout.AUTO);
            return v.frames();
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void thePageAsksForTheTokenRunsJobsWithProgressAndExplainsBadUploads() throws Exception {
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get(server.uri().toString());
        // A server with a token: the page asks for it, then loads the models.
        waiting(30).until(d -> d.findElement(By.id("token-form")).isDisplayed());
        // The token form says what to do; no error line beside it (the 401's API message is for programs).
        assertFalse(browser.findElement(By.id("error")).isDisplayed(), browser.findElement(By.id("error")).getText());
        assertFalse(browser.findElement(By.id("token-wrong")).isDisplayed(), "nothing was wrong yet");
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("token-use")).click();
        waiting(30).until(d -> new Select(d.findElement(By.id("model"))).getOptions().size() == 2);
        assertFalse(browser.findElement(By.id("model-card")).getText().contains("/"), "no folders of the training machine");
        // Absolute transfer exists for keypoint motion only: off for the latent default, on for tiny-kp.
        assertFalse(browser.findElement(By.id("absolute")).isEnabled(), "the latent model has one transfer mode");
        new Select(browser.findElement(By.id("model"))).selectByValue("tiny-kp");
        waiting(5).until(d -> d.findElement(By.id("absolute")).isEnabled());
        new Select(browser.findElement(By.id("model"))).selectByValue("tiny");
        waiting(5).until(d -> !d.findElement(By.id("absolute")).isEnabled());

        // Transfer from example inputs.
        waiting(30).until(d -> new Select(d.findElement(By.id("imageDemo"))).getOptions().size() > 1);
        new Select(browser.findElement(By.id("imageDemo"))).selectByValue("square.png");
        new Select(browser.findElement(By.id("drivingDemo"))).selectByValue("moving.gif");
        List<Double> transfer = runAndWatch();
        assertFalse(browser.findElement(By.id("error")).isDisplayed(), browser.findElement(By.id("error")).getText());
        assertTrue(transfer.contains(0.0) || transfer.get(0) < 1.0, "the bar starts empty: " + transfer);
        List<WebElement> results = browser.findElements(By.cssSelector("#items img"));
        assertEquals(1, results.size());
        assertEquals(ApiServerTest.T, gifFrames(imageBytes(results.get(0))), "the driving clip's length");

        // Generation from an uploaded image: three samples, so the bar passes 1/3 and 2/3.
        Path upload = Files.createTempFile("upload-", ".png");
        MediaWriter.write(TinyModel.squareVideo(3, 1), upload);
        browser.findElement(By.cssSelector("input[name=mode][value=generate]")).click();
        new Select(browser.findElement(By.id("imageDemo"))).selectByValue("");
        browser.findElement(By.id("image")).sendKeys(upload.toAbsolutePath().toString());
        WebElement n = browser.findElement(By.id("n"));
        n.clear();
        n.sendKeys("3");
        List<Double> generate = runAndWatch();
        assertFalse(browser.findElement(By.id("error")).isDisplayed(), browser.findElement(By.id("error")).getText());
        long between = generate.stream().filter(v -> v > 0 && v < 1).count();
        assertTrue(between >= 1, "the bar moved through intermediate values: " + generate);
        results = browser.findElements(By.cssSelector("#items img"));
        assertEquals(3, results.size());
        for (WebElement img : results) assertEquals(ApiServerTest.T, gifFrames(imageBytes(img)));
        // The gallery grows with "More samples" (the next seed) by the request it extends, even after the
        // form has changed: 3 more videos, not the 1 the form now asks for; the names go on from sample-02.
        n.clear();
        n.sendKeys("1");
        browser.findElement(By.id("more")).click();
        waiting(90).until(d -> d.findElements(By.cssSelector("#items img")).size() >= 4 && d.findElement(By.id("run")).isEnabled());
        assertEquals(6, browser.findElements(By.cssSelector("#items img")).size(), "More samples repeats the run's own request");
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (WebElement cap : browser.findElements(By.cssSelector("#items figcaption"))) names.add(cap.getText().split(" ")[0]);
        assertEquals(java.util.Set.of("sample-00", "sample-01", "sample-02", "sample-03", "sample-04", "sample-05"), names);

        // A text file as the image: a clear message naming it.
        Path text = Files.createTempFile("notes-", ".txt");
        Files.writeString(text, "not an image", StandardCharsets.UTF_8);
        browser.findElement(By.id("image")).sendKeys(text.toAbsolutePath().toString());
        browser.findElement(By.id("run")).click();
        waiting(60).until(d -> d.findElement(By.id("error")).isDisplayed());
        String message = browser.findElement(By.id("error")).getText();
        assertTrue(message.startsWith("Image: ") && message.contains(new File(text.toString()).getName()), message);
        // A failed run leaves no old results, sheet or "More samples" behind.
        assertFalse(browser.findElement(By.id("results")).isDisplayed(), "old results are gone after a failed run");
        assertEquals(0, browser.findElements(By.cssSelector("#items img")).size());
        assertFalse(browser.findElement(By.id("more")).isDisplayed());

        // Errors name the page's labels, not the API's field names.
        browser.findElement(By.id("image")).sendKeys(upload.toAbsolutePath().toString());
        n.clear();
        n.sendKeys("0");
        browser.findElement(By.id("run")).click();
        waiting(60).until(d -> d.findElement(By.id("error")).isDisplayed());
        message = browser.findElement(By.id("error")).getText();
        assertTrue(message.startsWith("Videos must be between 1 and"), message);
        n.clear();
        n.sendKeys("1");

        // The crop field travels with the request: one that is not a crop is refused by name.
        browser.findElement(By.id("imageCrop")).sendKeys("face");
        browser.findElement(By.id("run")).click();
        waiting(60).until(d -> d.findElement(By.id("error")).getText().contains("crop 'face'"));
        Files.deleteIfExists(upload);
        Files.deleteIfExists(text);
    }
}
