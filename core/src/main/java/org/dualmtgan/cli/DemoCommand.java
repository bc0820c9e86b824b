package org.dualmtgan.cli;

import org.dualmtgan.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code dualmtgan demo}: the bundled models on the bundled inputs, with an index.html. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Run the bundled models on the bundled inputs and write a page of the results.",
        description = {"Run the bundled models on the bundled inputs: motion transfers, stochastic samples,",
                "an interpolation and a reconstruction per model, as GIF and MP4, contact sheets and an",
                "index.html that shows them all. No network, no arguments needed."},
        footer = {"", "Examples:", "  dualmtgan demo", "  dualmtgan demo --out /tmp/demo --models faces-64 --samples 8 --seed 3"})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
            description = "Output folder (an earlier demo there is replaced). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--models", paramLabel = "NAME", split = ",",
            description = "Bundled models to run (default: every installed one the demo has inputs for).")
    List<String> models;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "4", description = "Stochastic samples per model. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--frames", paramLabel = "T", defaultValue = "16", description = "Frames per sampled video. Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "1", description = "Seed of the sampled motions. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        Demo.Options o = new Demo.Options();
        o.out = out;
        if (models != null) o.models = models;
        o.samples = samples;
        o.frames = frames;
        o.seed = seed;
        Demo.Result r = Demo.run(o);
        PrintWriter w = spec.commandLine().getOut();
        for (String s : r.skipped()) w.println("skipped " + s);
        String last = "";
        for (Demo.Item it : r.items()) {
            if (!it.model().equals(last)) w.println(it.model() + ":");
            last = it.model();
            if (!it.file().toString().endsWith(".mp4")) w.println("  " + it.file() + "  " + it.caption());
        }
        w.printf(Locale.ROOT, "demo written in %.1f s: open %s%n", r.seconds(), r.index());
        w.flush();
        return Main.EXIT_OK;
    }
}
