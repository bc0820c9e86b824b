package org.dualmtgan.synth;

import java.util.List;

/**
 * Moving-MNIST motion: one bouncing trajectory per digit slot (digit i follows trajectory i).
 * Positions are the digit box centre in frame units ([0, 1] across the frame), speed in frame units
 * per frame, heading in radians (0 = right, pi/2 = down). The box bounces off the frame edges.
 */
public record DigitMotion(List<Trajectory> trajectories) implements Motion {
    public DigitMotion {
        trajectories = List.copyOf(trajectories);
    }

    public record Trajectory(double x, double y, double speed, double heading) {}
}
