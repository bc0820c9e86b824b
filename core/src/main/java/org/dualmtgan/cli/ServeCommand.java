package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import org.dualmtgan.animate.Animator;
import org.dualmtgan.serve.ApiServer;
import org.dualmtgan.serve.ModelRegistry;
import org.dualmtgan.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code dualmtgan serve}: the HTTP API and the web page; runs until stopped (Ctrl-C). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Serve the HTTP API (/api/v1) and the web page (/) for the loaded models.",
        description = {"HTTP API (/api/v1) and web page (/) for transfer, generation, reconstruction",
                "and interpolation with loaded models. Runs until stopped (Ctrl-C).",
                "See docs/serve.md for the endpoints."},
        footer = {"", "Examples:",
                "  dualmtgan serve          # every bundled model; open http://127.0.0.1:8080/",
                "  dualmtgan serve --model runs/weizmann-64 --model runs/bair-64 --port 9000",
                "  curl -F image=@face.png -F driving=@smile.mp4 \\",
                "      http://127.0.0.1:8080/api/v1/transfer -o moved.gif"})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080", description = "TCP port (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "Interface to listen on (0.0.0.0: every one; needs a token). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--token", paramLabel = "T",
            description = "Every API call must send 'Authorization: Bearer T'. Prefer the environment variable DUALMTGAN_TOKEN: an option shows in the process list.")
    String token;

    @Option(names = "--tokens", paramLabel = "FILE",
            description = "Clients with their own tokens, one 'NAME TOKEN' per line: each sees and cancels only its own jobs.")
    Path tokens;

    @Option(names = "--max-jobs", paramLabel = "N", defaultValue = "256",
            description = "Jobs kept at most; ended ones beyond it are removed oldest first. Default: ${DEFAULT-VALUE}.")
    int maxJobs;

    @Option(names = "--max-results-mb", paramLabel = "MB", defaultValue = "1024",
            description = "Megabytes of job results kept at most; ended jobs beyond it are removed oldest first. Default: ${DEFAULT-VALUE}.")
    long maxResultsMb;

    @Option(names = "--cors", paramLabel = "ORIGIN",
            description = "Let pages from ORIGIN (e.g. https://example.org) call the API (repeatable). Default: no CORS.")
    List<String> cors = new ArrayList<>();

    @Option(names = "--job-ttl", paramLabel = "S", defaultValue = "900",
            description = "Seconds a job and its result are kept after it ends. Default: ${DEFAULT-VALUE}.")
    double jobTtl;

    @Option(names = "--idle-timeout", paramLabel = "S", defaultValue = "30",
            description = "Seconds a connection may send nothing before it is closed. Default: ${DEFAULT-VALUE}.")
    double idleTimeout;

    @Option(names = "--min-upload-rate", paramLabel = "BYTES_PER_S", defaultValue = "1024",
            description = "Slowest average upload rate; slower requests get 408 and free their slot (0: no limit). Default: ${DEFAULT-VALUE}.")
    long minUploadRate;

    @Option(names = "--model", paramLabel = "M",
            description = "A model to serve (repeatable): a checkpoint, an export, a run folder or a bundled name. Default: every bundled model.")
    List<String> models = new ArrayList<>();

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "32",
            description = "Largest request body in MiB (all files together). Default: ${DEFAULT-VALUE}.")
    int maxUploadMb;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Requests computed at the same time (one already uses every core). Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "4",
            description = "Requests that may wait for a worker; more are answered 503. Default: ${DEFAULT-VALUE}.")
    int queue;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "512",
            description = "Most frames of an input video or of a generated one. Default: ${DEFAULT-VALUE}.")
    int maxFrames;

    @Option(names = "--demo", paramLabel = "DIR",
            description = "Folder of example inputs the page offers (image and video files). Default: demo/ if it exists.")
    Path demo;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServeConfig cfg = new ServeConfig();
        cfg.host = host;
        cfg.port = port;
        if (maxUploadMb < 1 || maxUploadMb > 4096) throw new InvalidInputException("--max-upload-mb must be between 1 and 4096, got " + maxUploadMb);
        cfg.maxUploadBytes = (long) maxUploadMb << 20;
        cfg.workers = workers;
        cfg.queue = queue;
        cfg.maxFrames = maxFrames;
        if (demo != null && !Files.isDirectory(demo)) throw new InvalidInputException(demo, "--demo is not a folder");
        cfg.demoDir = demo != null ? demo : (Files.isDirectory(Path.of("demo")) ? Path.of("demo") : null);
        cfg.token = token != null ? token : System.getenv("DUALMTGAN_TOKEN");
        if (cfg.token != null && cfg.token.isEmpty()) cfg.token = null;
        cfg.corsOrigins = cors;
        if (tokens != null) cfg.clientTokens = ServeConfig.readTokens(tokens);
        cfg.maxJobs = maxJobs;
        if (maxResultsMb < 1 || maxResultsMb > (1L << 30)) throw new InvalidInputException("--max-results-mb must be at least 1, got " + maxResultsMb);
        cfg.maxResultBytes = maxResultsMb << 20;
        cfg.jobTtlMillis = Math.round(jobTtl * 1000);
        cfg.idleTimeoutMillis = Math.round(idleTimeout * 1000);
        cfg.minUploadBytesPerSecond = minUploadRate;
        cfg.validate();
        List<String> chosen = models.isEmpty() ? Animator.bundled() : models;
        if (chosen.isEmpty()) {
            throw new InvalidInputException("no models to serve: no bundled models are installed (models/NAME/model.ckpt); "
                    + "give --model PATH (a checkpoint, an export or a run folder)");
        }
        PrintWriter out = spec.commandLine().getOut();
        ModelRegistry registry = ModelRegistry.load(chosen);
        ApiServer server;
        try {
            server = ApiServer.start(cfg, registry, System.err);
        } catch (IOException | RuntimeException e) {
            registry.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            registry.close();
            stopped.countDown();
        }, "dualmtgan-serve-stop"));
        out.printf("Serving %d model%s (%s) at %s%nAPI: %sapi/v1  (docs/serve.md, %sopenapi.json)%s  Ctrl-C stops.%n", registry.names().size(),
                registry.names().size() == 1 ? "" : "s", String.join(", ", registry.names()), server.uri(), server.uri(), server.uri(),
                cfg.tokenRequired() ? "  Token required." : "");
        if (cfg.demoDir != null) out.printf("Demo inputs: %s%n", cfg.demoDir.toAbsolutePath().normalize());
        out.flush();
        stopped.await();
        return Main.EXIT_OK;
    }
}
