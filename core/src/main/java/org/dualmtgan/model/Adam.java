package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.dualmtgan.InvalidInputException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adam (Kingma and Ba) over a named set of parameters, written here because DJL's optimizer
 * state cannot be read or restored and a resumed run must continue exactly. Per parameter it keeps
 * the first moment m, the second moment v and its own step count; {@link #state()} exports them as
 * {@code NAME.m}, {@code NAME.v}, {@code NAME.step} and {@link #load} restores them.
 * Not thread-safe.
 */
public final class Adam {
    private final NDManager manager;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final Map<String, Long> steps = new HashMap<>();

    /** Optimizer state is allocated in {@code manager}, which must live as long as the model. */
    public Adam(NDManager manager, double lr, double beta1, double beta2, double eps) {
        this.manager = manager;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /**
     * One Adam step for every parameter of {@code parameters} (which must hold a gradient from
     * the last backward pass), then zeroes those gradients. Must run outside a gradient collector.
     * Parameters without a gradient are skipped.
     */
    public void update(Map<String, NDArray> parameters) {
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                if (!p.hasGradient()) continue;
                NDArray g = gradientOrNull(p);
                if (g == null) continue;
                g.attach(scope);
                NDArray mi = m.computeIfAbsent(name, k -> zerosLike(p));
                NDArray vi = v.computeIfAbsent(name, k -> zerosLike(p));
                long t = steps.merge(name, 1L, Long::sum);
                scope.tempAttachAll(p, mi, vi);
                // m = b1 m + (1 - b1) g ;  v = b2 v + (1 - b2) g^2
                mi.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                vi.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                // p -= lr * m_hat / (sqrt(v_hat) + eps), with the bias corrections folded into scalars.
                double c1 = 1 - Math.pow(beta1, t);
                double c2 = 1 - Math.pow(beta2, t);
                NDArray denom = vi.div((float) c2).sqrt().addi((float) eps);
                p.subi(mi.mul((float) (lr / c1)).divi(denom));
                zeroGradient(p);
            }
        }
    }

    /** Number of updates applied so far (the largest per-parameter step count). */
    public long stepCount() {
        long max = 0;
        for (long s : steps.values()) max = Math.max(max, s);
        return max;
    }

    /** The state as named arrays (copies, in {@code target}): {@code NAME.m}, {@code NAME.v}, {@code NAME.step} (int64 scalar). */
    public Map<String, NDArray> state(NDManager target) {
        Map<String, NDArray> out = new TreeMap<>();
        for (String name : m.keySet()) {
            out.put(name + ".m", m.get(name).duplicate());
            out.put(name + ".v", v.get(name).duplicate());
            out.put(name + ".step", manager.create(steps.get(name)));
        }
        for (NDArray a : out.values()) a.attach(target);
        return out;
    }

    /** The state as named arrays owned by this optimizer's manager (see {@link #state(NDManager)}). */
    public Map<String, NDArray> state() {
        return state(manager);
    }

    /**
     * Replaces the whole state by {@code state} (as written by {@link #state()}); values are copied.
     * Throws {@link InvalidInputException} when an entry is malformed or incomplete.
     */
    public void load(Map<String, NDArray> state) {
        Map<String, NDArray> newM = new LinkedHashMap<>();
        Map<String, NDArray> newV = new LinkedHashMap<>();
        Map<String, Long> newSteps = new HashMap<>();
        for (Map.Entry<String, NDArray> e : new TreeMap<>(state).entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            if (dot <= 0) throw new InvalidInputException("optimizer state: unexpected entry " + key);
            String name = key.substring(0, dot);
            String kind = key.substring(dot + 1);
            switch (kind) {
                case "m" -> newM.put(name, e.getValue());
                case "v" -> newV.put(name, e.getValue());
                case "step" -> newSteps.put(name, e.getValue().toType(DataType.INT64, false).getLong());
                default -> throw new InvalidInputException("optimizer state: unexpected entry " + key);
            }
        }
        for (String name : newSteps.keySet()) {
            NDArray mi = newM.get(name);
            NDArray vi = newV.get(name);
            if (mi == null || vi == null) {
                throw new InvalidInputException("optimizer state: " + name + " lacks its m or v entry");
            }
            if (!mi.getShape().equals(vi.getShape())) {
                throw new InvalidInputException("optimizer state: " + name + ".m is " + mi.getShape()
                        + " but " + name + ".v is " + vi.getShape());
            }
        }
        if (newM.size() != newSteps.size() || newV.size() != newSteps.size()) {
            throw new InvalidInputException("optimizer state: m, v and step entries do not match");
        }
        clear();
        for (String name : newSteps.keySet()) {
            m.put(name, copyIn(newM.get(name)));
            v.put(name, copyIn(newV.get(name)));
            steps.put(name, newSteps.get(name));
        }
    }

    /** Shape of the state kept for {@code name}, or null: lets a caller check a loaded state against the model. */
    public ai.djl.ndarray.types.Shape stateShape(String name) {
        NDArray a = m.get(name);
        return a == null ? null : a.getShape();
    }

    private void clear() {
        m.values().forEach(NDArray::close);
        v.values().forEach(NDArray::close);
        m.clear();
        v.clear();
        steps.clear();
    }

    private NDArray copyIn(NDArray a) {
        // A same-type toType shares storage with its input; the optimizer needs its own copy.
        NDArray c = a.getDataType() == DataType.FLOAT32 ? a.duplicate() : a.toType(DataType.FLOAT32, false);
        c.attach(manager);
        return c;
    }

    private NDArray zerosLike(NDArray p) {
        return manager.zeros(p.getShape(), DataType.FLOAT32);
    }

    /** The gradient of {@code p}, or null when the last backward pass did not reach it. */
    static NDArray gradientOrNull(NDArray p) {
        if (!p.hasGradient()) return null;
        // JniUtils.getGradient gives null where the last backward pass never reached p.
        return JniUtils.getGradient((PtNDArray) p);
    }

    /** Sets the gradient of {@code p} to zero (if it has one) so that it does not accumulate into the next step. */
    static void zeroGradient(NDArray p) {
        if (p.hasGradient()) JniUtils.zeroGrad((PtNDArray) p);
    }
}
