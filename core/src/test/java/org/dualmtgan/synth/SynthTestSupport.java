package org.dualmtgan.synth;

import org.dualmtgan.SharedData;
import java.nio.file.Path;

/** Shared settings for the synth tests. */
final class SynthTestSupport {
    private SynthTestSupport() {}

    static Path dataDir() {
        return SharedData.configured();
    }

    /** The data folder for rendering {@code domain}: mnist needs the shared digits (skipped without them). */
    static Path dataDir(String domain) {
        return domain.equals("mnist") ? SharedData.root() : dataDir();
    }

    static Domain domain(String name) {
        // mnist samples the shared MNIST digits; the other domains read nothing.
        return Domains.byName(name, name.equals("mnist") ? SharedData.root() : dataDir());
    }

    static double luminance(float[] data, int frame, int size, int x, int y) {
        int plane = size * size;
        int i = frame * 3 * plane + y * size + x;
        return 0.299 * data[i] + 0.587 * data[i + plane] + 0.114 * data[i + 2 * plane];
    }
}
