package org.dualmtgan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.Map;

/**
 * Base of this package's layers and networks: parameters have fixed shapes from construction (no
 * shape inference), are initialised by {@link DualMtgan} from a Java seed, and are read directly
 * (single device, so the ParameterStore is passed along but not needed).
 */
public abstract class ModelBlock extends AbstractBlock {
    static {
        // Before any network runs: engine switches (NNPACK off, an optional oneDNN ISA cap).
        CpuIsaGuard.apply();
    }

    protected ModelBlock() {
        super((byte) 1);
    }

    /** A parameter of fixed shape; {@code trainable = false} marks non-trainable state (skipped by optimizers). */
    protected final Parameter newParameter(String name, Parameter.Type type, Shape shape, boolean trainable) {
        return addParameter(Parameter.builder()
                .setName(name).setType(type).optShape(shape).optRequiresGrad(trainable).build());
    }

    /** Parameters have fixed shapes, so a block is ready once they hold values (no input shapes needed). */
    @Override
    public boolean isInitialized() {
        for (Parameter p : getParameters().values()) {
            if (!p.isInitialized()) return false;
        }
        return true;
    }

    /** Convenience: forward one array. */
    public final NDArray forward(NDArray input, boolean training) {
        return forward(new ParameterStore(), new NDList(input), training, null).singletonOrThrow();
    }

    /** Convenience: forward several arrays. */
    public final NDList forward(boolean training, NDArray... inputs) {
        return forward(new ParameterStore(), new NDList(inputs), training, null);
    }

    /**
     * Every parameter of {@code block} and its children under dotted names
     * ({@code prefix.child.param}); children added as {@code addChildBlock("conv1", ...)}.
     */
    static void collectParameters(Block block, String prefix, Map<String, Parameter> out) {
        for (var p : block.getDirectParameters()) {
            String name = prefix + "." + p.getValue().getName();
            if (out.put(name, p.getValue()) != null) throw new IllegalStateException("duplicate parameter " + name);
        }
        for (var c : block.getChildren()) {
            // DJL prefixes child names with a two-digit index ("01conv1").
            String child = c.getKey().substring(2);
            collectParameters(c.getValue(), prefix + "." + child, out);
        }
    }

    /** Shapes are fixed by the builders; subclasses report their output shape for given input shapes. */
    @Override
    public abstract Shape[] getOutputShapes(Shape[] inputShapes);

    /** Output spatial size of a convolution. */
    static long convOut(long in, long kernel, long stride, long pad) {
        return (in + 2 * pad - kernel) / stride + 1;
    }
}
