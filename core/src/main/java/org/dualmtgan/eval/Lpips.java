package org.dualmtgan.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.media.Video;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * LPIPS (Zhang et al. 2018, version 0.1, AlexNet backbone) computed only when the user supplies the
 * weights: this project cannot obtain them. Weights file: a NumPy {@code .npz} holding float32 or
 * float64 arrays named as torchvision's AlexNet {@code features} and the LPIPS linear heads:
 * {@code features.0.weight} (64,3,11,11), {@code features.0.bias}, {@code features.3.*}
 * (192,64,5,5), {@code features.6.*} (384,192,3,3), {@code features.8.*} (256,384,3,3),
 * {@code features.10.*} (256,256,3,3), {@code lin0.model.1.weight} (1,64,1,1) .. {@code lin4.model.1.weight}
 * (1,256,1,1). docs/eval.md shows how to write it from the published weights.
 *
 * <p>Per frame: the input in [-1, 1] is shifted and scaled as LPIPS does, the five ReLU outputs of
 * AlexNet are unit-normalised over channels at each pixel, their squared differences weighted per
 * channel by the heads, averaged over pixels and summed over layers. A video's LPIPS is the mean
 * over frames. Not thread-safe.
 */
public final class Lpips implements AutoCloseable {
    static final String[] CONVS = {"features.0", "features.3", "features.6", "features.8", "features.10"};
    static final int[][] SHAPES = {{64, 3, 11}, {192, 64, 5}, {384, 192, 3}, {256, 384, 3}, {256, 256, 3}};
    static final int[][] STRIDE_PAD = {{4, 2}, {1, 2}, {1, 1}, {1, 1}, {1, 1}};
    private static final float[] SHIFT = {-0.030f, -0.088f, -0.188f};
    private static final float[] SCALE = {0.458f, 0.448f, 0.450f};

    private final NDManager manager;
    private final NDArray[] weights = new NDArray[5];
    private final NDArray[] biases = new NDArray[5];
    private final NDArray[] heads = new NDArray[5];

    private Lpips(Map<String, float[]> arrays, Path source) {
        manager = NDManager.newBaseManager(Device.cpu());
        try {
            for (int i = 0; i < 5; i++) {
                int[] s = SHAPES[i];
                weights[i] = take(arrays, CONVS[i] + ".weight", new Shape(s[0], s[1], s[2], s[2]), source);
                biases[i] = take(arrays, CONVS[i] + ".bias", new Shape(s[0]), source);
                heads[i] = take(arrays, "lin" + i + ".model.1.weight", new Shape(1, s[0], 1, 1), source);
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private NDArray take(Map<String, float[]> arrays, String name, Shape shape, Path source) {
        float[] a = arrays.get(name);
        if (a == null) throw new InvalidInputException(source, "LPIPS weights lack '" + name + "'");
        if (a.length != shape.size()) throw new InvalidInputException(source, "LPIPS weight '" + name + "' has " + a.length + " values, expected " + shape);
        return manager.create(a, shape);
    }

    /** Reads the weights from an {@code .npz} file (see the class comment). */
    public static Lpips load(Path npz) {
        if (!Files.isRegularFile(npz)) throw new InvalidInputException(npz, "LPIPS weights file not found");
        Map<String, float[]> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.getName().endsWith(".npy")) continue;
                try (InputStream in = zip.getInputStream(e)) {
                    arrays.put(e.getName().substring(0, e.getName().length() - 4), readNpy(in, npz, e.getName()));
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(npz, "not a readable .npz file: " + e.getMessage(), e);
        }
        return new Lpips(arrays, npz);
    }

    /** Random weights drawn with {@code seed} (heads non-negative, as trained ones are): tests of the network code only. */
    static Lpips random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            int[] s = SHAPES[i];
            int fanIn = s[1] * s[2] * s[2];
            float[] w = new float[s[0] * fanIn];
            for (int j = 0; j < w.length; j++) w[j] = (float) (r.nextGaussian() * Math.sqrt(2.0 / fanIn));
            arrays.put(CONVS[i] + ".weight", w);
            arrays.put(CONVS[i] + ".bias", new float[s[0]]);
            float[] h = new float[s[0]];
            for (int j = 0; j < h.length; j++) h[j] = (float) r.nextDouble() / s[0];
            arrays.put("lin" + i + ".model.1.weight", h);
        }
        return new Lpips(arrays, null);
    }

    /** LPIPS between two videos of one shape, mean over frames (lower: more alike; 0 for identical). */
    public double distance(Video a, Video b) {
        requireSameShape(a, b);
        try (NDManager scope = manager.newSubManager()) {
            return distance(features(scope, a), features(scope, b), a.frames());
        }
    }

    /**
     * Mean LPIPS over {@code pairs} of {@code samples} (0 without pairs), the same as averaging
     * {@link #distance} over the pairs, but with each sample's features computed once rather than
     * once per pair it is in.
     */
    public double meanPairwise(List<Video> samples, List<int[]> pairs) {
        if (pairs.isEmpty()) return 0;
        try (NDManager scope = manager.newSubManager()) {
            Map<Integer, NDArray[]> features = new HashMap<>();
            double sum = 0;
            for (int[] p : pairs) {
                Video a = samples.get(p[0]);
                Video b = samples.get(p[1]);
                requireSameShape(a, b);
                NDArray[] fa = features.computeIfAbsent(p[0], i -> features(scope, a));
                NDArray[] fb = features.computeIfAbsent(p[1], i -> features(scope, b));
                sum += distance(fa, fb, a.frames());
            }
            return sum / pairs.size();
        }
    }

    private static void requireSameShape(Video a, Video b) {
        if (a.frames() != b.frames() || a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("videos differ in shape: " + a + " vs " + b);
        }
    }

    /** Per frame: sum over layers of the spatial mean of the head-weighted squared differences; mean over frames. */
    private double distance(NDArray[] fa, NDArray[] fb, int frames) {
        // The pair's intermediates live in their own scope: the features stay, the differences go.
        try (NDManager tmp = fa[0].getManager().newSubManager()) {
            NDArray total = tmp.zeros(new Shape(frames));
            for (int i = 0; i < 5; i++) {
                NDArray diff = fa[i].sub(fb[i]);
                diff.attach(tmp); // results of ops on diff are then in tmp too
                NDArray weighted = diff.square().mul(heads[i]).sum(new int[] {1}); // (N, H, W)
                total = total.add(weighted.reshape(frames, -1).mean(new int[] {1}));
            }
            return total.mean().getFloat();
        }
    }

    /** The five unit-normalised ReLU feature maps of every frame. */
    private NDArray[] features(NDManager scope, Video v) {
        int n = v.frames();
        NDArray x = scope.create(v.data(), new Shape(n, 3, v.height(), v.width())).mul(2f).sub(1f);
        NDArray shift = scope.create(SHIFT, new Shape(1, 3, 1, 1));
        NDArray scale = scope.create(SCALE, new Shape(1, 3, 1, 1));
        x = x.sub(shift).div(scale);
        NDArray[] out = new NDArray[5];
        for (int i = 0; i < 5; i++) {
            if (i == 1 || i == 2) x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), false);
            int st = STRIDE_PAD[i][0];
            int pad = STRIDE_PAD[i][1];
            x = Conv2d.conv2d(x, weights[i], biases[i], new Shape(st, st), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
            x = ai.djl.nn.Activation.relu(x);
            NDArray norm = x.square().sum(new int[] {1}, true).sqrt().add(1e-10f);
            out[i] = x.div(norm);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|]?)([fi])(\\d)'");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** One {@code .npy} array (version 1-3, little-endian float32/float64, C order) as floats. */
    static float[] readNpy(InputStream raw, Path file, String name) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = new byte[6];
        in.readFully(magic);
        if ((magic[0] & 0xff) != 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new InvalidInputException(file, name + " is not a .npy array");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int headerLen;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else {
            headerLen = Integer.reverseBytes(in.readInt());
        }
        byte[] h = new byte[headerLen];
        in.readFully(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) throw new InvalidInputException(file, name + " is in Fortran order");
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) throw new InvalidInputException(file, name + " has an unreadable header: " + header.strip());
        if (d.group(1).equals(">") || !d.group(2).equals("f") || !(d.group(3).equals("4") || d.group(3).equals("8"))) {
            throw new InvalidInputException(file, name + " must hold little-endian float32 or float64, not " + d.group());
        }
        long count = 1;
        for (String dim : s.group(1).split(",")) if (!dim.isBlank()) count *= Long.parseLong(dim.strip());
        if (count > 50_000_000L) throw new InvalidInputException(file, name + " is too large (" + count + " values)");
        int bytes = Integer.parseInt(d.group(3));
        byte[] data = new byte[(int) (count * bytes)];
        in.readFully(data);
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) out[i] = bytes == 4 ? buf.getFloat() : (float) buf.getDouble();
        return out;
    }
}
