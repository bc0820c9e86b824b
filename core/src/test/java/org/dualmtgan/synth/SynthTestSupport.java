package org.dualmtgan.synth;

import java.nio.file.Path;

/** Shared settings for the synth tests. */
final class SynthTestSupport {
    private SynthTestSupport() {}

    static Path dataDir() {
        return Path.of(System.getProperty("dualmtgan.data", "../shared/data"));
    }

    static Domain domain(String name) {
        return Domains.byName(name, dataDir());
    }

    static double luminance(float[] data, int frame, int size, int x, int y) {
        int plane = size * size;
        int i = frame * 3 * plane + y * size + x;
        return 0.299 * data[i] + 0.587 * data[i + plane] + 0.114 * data[i + 2 * plane];
    }
}
