package org.dualmtgan.spark;

import java.io.Serializable;

/**
 * What became of one row: written, skipped (its output was there already) or failed (with the
 * reason), and where its task's time went: loading the model (once per JVM, charged to the row that
 * loaded it), decoding the inputs, inference, and encoding and publishing the output; {@code frames}
 * per video written (0 when nothing was computed); {@code output} the transfer's file or the
 * generation's folder and {@code videos} the videos it holds (null and 0 for a failed row).
 */
record RowResult(long index, String name, String image, String driving, Status status, String reason,
                 double modelSeconds, double decodeSeconds, double inferSeconds, double encodeSeconds, int frames,
                 String output, int videos) implements Serializable {
    enum Status { WRITTEN, SKIPPED, FAILED }
}
