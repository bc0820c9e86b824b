package org.dualmtgan.cli;

import org.dualmtgan.synth.Domains;
import org.dualmtgan.synth.Split;
import org.dualmtgan.synth.SynthDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dualmtgan synth}: render a synthetic dataset with ground-truth content, motion and keypoints. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Render a synthetic video dataset with known content, motion and keypoints.",
                "Writes OUT/<clip>/NN.png frames, OUT/<clip>/clip.json and OUT/dataset.json (see docs/synth.md)."})
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--domain", required = true, paramLabel = "D",
            description = "faces (expressions), actors (human actions), sprites (object pushing) or mnist (Moving MNIST).")
    String domain;

    @Option(names = "--videos", paramLabel = "N", defaultValue = "100", description = "Number of clips. Default: ${DEFAULT-VALUE}.")
    int videos;

    @Option(names = "--frames", paramLabel = "T", defaultValue = "16", description = "Frames per clip (>= 2). Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--size", paramLabel = "S", defaultValue = "64",
            description = "Frame side in pixels (16..256). Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "0", description = "Random seed; same seed, same files. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "train",
            description = "train or test: test clips use held-out contents and motions. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder (created; an earlier dataset there is replaced).")
    Path out;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder holding mnist/ (default: system property dualmtgan.data, else ../shared/data).")
    Path data;

    @Override
    public Integer call() throws Exception {
        Split s = Split.parse(split);
        Path dataDir = data != null ? data : Domains.defaultDataDir();
        SynthDataset.Summary r = SynthDataset.generate(domain, videos, frames, size, seed, s, out, dataDir);
        spec.commandLine().getOut().printf("wrote %d %s clips (%s, %dx%dx%d) to %s in %.1f s (%.0f clips/s)%n",
                r.clips(), r.domain(), s.id(), frames, size, size, out, r.seconds(), r.clips() / Math.max(1e-9, r.seconds()));
        return Main.EXIT_OK;
    }
}
