package org.dualmtgan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status}: VmRSS (now) and VmHWM (the peak
 * so far). Native tensors live outside the Java heap, so only these show the engine's memory.
 * Both read -1 where /proc is absent (not Linux).
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Resident set size now, in bytes, or -1. */
    public static long rssBytes() {
        return field("VmRSS:");
    }

    /** Peak resident set size of the process so far, in bytes, or -1. */
    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    /** Bytes as MiB. */
    public static double mib(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // reported in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
