package org.dualmtgan.synth;

/**
 * A named 2-D point in pixel coordinates of a frame: x to the right, y down, the centre of pixel
 * (column i, row j) at (i, j). Points may lie outside the frame (a limb leaving the picture).
 */
public record Keypoint(String name, double x, double y) {}
