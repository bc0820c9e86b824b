package org.dualmtgan.synth;

import java.util.List;

/**
 * Moving-MNIST content: one or two MNIST digits. Each keeps its 28x28 grey image (base64 of the
 * 784 bytes, row-major) so a clip can be re-rendered without the MNIST files.
 */
public record DigitContent(List<Digit> digits) implements Content {
    public DigitContent {
        digits = List.copyOf(digits);
    }

    /** One MNIST image: its index in the 10k file, its label, and its pixels. */
    public record Digit(int index, int label, String pixels) {}
}
