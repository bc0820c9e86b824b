package org.dualmtgan.data;

import java.nio.file.Path;

/**
 * One video of a dataset, not yet decoded.
 *
 * @param id     its path relative to the dataset folder, with '/' separators: stable across machines
 * @param path   where it is
 * @param layout how it is stored (FRAMES: a folder of frames; FILES: a video file; STRIPS: a strip PNG)
 */
public record VideoEntry(String id, Path path, Layout layout) {
}
