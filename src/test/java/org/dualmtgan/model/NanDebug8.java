package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

public final class NanDebug8 {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig cfg = TinyModels.tiny(32, 8);
            DualMtgan model = DualMtgan.create(cfg, m, 1);
            for (int i = 0; i < 4; i++) {
                NDArray fakes = TinyModels.random(m, 4, 6, 8, 3, 32, 32);
                fakes.setRequiresGradient(true);
                NDArray v = TinyModels.movingSquares(m, 1, 2, 8, 32);
                NDArray x1 = v.get(":, 0");
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    NDArray vx = fakes.get(":2");
                    NDArray vyd = fakes.get("2:4");
                    NDArray vys = fakes.get("4:6");
                    FrameSampler sI = model.frameSampler();
                    NDArray sVx = sI.sample(vx, new long[] {1, 2});
                    NDArray sVyd = sI.sample(vyd, new long[] {3, 4});
                    NDArray sVys = sI.sample(vys, new long[] {5, 6});
                    NDArray cond = NDArrays.concat(new NDList(x1, x1, x1), 0);
                    NDArray fr = NDArrays.concat(new NDList(sVx, sVyd, sVys), 0);
                    NDArray logits = model.imageDiscriminator().score(cond, fr, true);
                    NDList l = logits.split(3, 0);
                    NDArray loss = switch (args[0]) {
                        case "split" -> Losses.real(l.get(0)).add(Losses.real(l.get(1))).add(Losses.real(l.get(2)));
                        case "whole" -> Losses.real(logits);
                        case "noconcat" -> Losses.real(model.imageDiscriminator().forward(fr.concat(fr, 1), true));
                        case "leafcat" -> { NDArray z = m.zeros(fr.getShape()); yield Losses.real(model.imageDiscriminator().forward(z.concat(fr, 1), true)); }
                        default -> fr.mean();
                    };
                    gc.backward(loss);
                }
                System.out.println(args[0] + " fakes grad " + fakes.getGradient().abs().sum().getFloat());
            }
        }
    }
}
