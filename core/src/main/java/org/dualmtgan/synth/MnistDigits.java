package org.dualmtgan.synth;

import org.dualmtgan.InvalidInputException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/** The MNIST digits of a data folder ({@code mnist/mnist-10k-*-idx*-ubyte.gz}, IDX format, gzip). */
public final class MnistDigits {
    public static final String IMAGES = "mnist/mnist-10k-images-idx3-ubyte.gz";
    public static final String LABELS = "mnist/mnist-10k-labels-idx1-ubyte.gz";
    public static final int SIDE = 28;

    private static final Map<Path, MnistDigits> CACHE = new ConcurrentHashMap<>();

    private final byte[] pixels;
    private final byte[] labels;
    private final int count;

    private MnistDigits(byte[] pixels, byte[] labels, int count) {
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
    }

    /** The digits under {@code dataDir}, read once per folder. */
    public static MnistDigits load(Path dataDir) {
        Path key = dataDir.toAbsolutePath().normalize();
        MnistDigits d = CACHE.get(key);
        if (d == null) {
            d = read(key);
            CACHE.putIfAbsent(key, d);
        }
        return d;
    }

    private static MnistDigits read(Path dir) {
        Path imgFile = dir.resolve(IMAGES);
        Path lblFile = dir.resolve(LABELS);
        byte[] img = readIdx(imgFile, 0x00000803, 3);
        byte[] lbl = readIdx(lblFile, 0x00000801, 1);
        int n = lbl.length;
        if (img.length != n * SIDE * SIDE) {
            throw new InvalidInputException(imgFile, "holds " + img.length / (SIDE * SIDE) + " images but "
                    + lblFile.getFileName() + " holds " + n + " labels");
        }
        return new MnistDigits(img, lbl, n);
    }

    /** Reads one IDX file; 3-d files must be N x 28 x 28 unsigned bytes. */
    private static byte[] readIdx(Path file, int magic, int dims) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            int m = in.readInt();
            if (m != magic) {
                throw new InvalidInputException(file, String.format("not an IDX file of %d dimensions (magic 0x%08x)", dims, m));
            }
            int n = in.readInt();
            long len = n;
            for (int i = 1; i < dims; i++) {
                int side = in.readInt();
                if (side != SIDE) throw new InvalidInputException(file, "digit side " + side + ", expected " + SIDE);
                len *= side;
            }
            if (n <= 0 || len > Integer.MAX_VALUE) throw new InvalidInputException(file, "bad item count " + n);
            byte[] data = new byte[(int) len];
            in.readFully(data);
            return data;
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, "MNIST file not found (point --data or -Ddualmtgan.data at the data folder)");
        } catch (EOFException e) {
            throw new InvalidInputException(file, "truncated IDX file", e);
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read MNIST digits: " + e.getMessage(), e);
        }
    }

    public int count() {
        return count;
    }

    public int label(int index) {
        return labels[index];
    }

    /** The 784 grey bytes of digit {@code index}, row-major. */
    public byte[] image(int index) {
        byte[] out = new byte[SIDE * SIDE];
        System.arraycopy(pixels, index * SIDE * SIDE, out, 0, out.length);
        return out;
    }
}
