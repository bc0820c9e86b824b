package org.dualmtgan.media;

import org.dualmtgan.InvalidInputException;
import org.w3c.dom.Node;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Animated GIF through ImageIO. Reading composites each frame onto a canvas of the logical screen
 * size at its offset, honouring the disposal method of the frame before (none/keep, restore to
 * background, restore to previous), so partial frames give whole pictures; transparent pixels
 * that were never painted are black. Writing quantises each frame to its own 256-colour palette
 * (ImageIO's octree, no dithering) and adds the NETSCAPE2.0 loop-forever extension.
 */
final class GifCodec {
    private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";

    private GifCodec() {}

    /** Decodes all frames into {@code sink}; returns the frame rate from the mean frame delay. */
    static double read(Path file, FrameCollector sink) {
        byte[] bytes = ImageDecoding.readBytes(file);
        if (!"gif".equals(ImageDecoding.sniff(bytes))) {
            throw new InvalidInputException(file, "not a GIF file (bad signature)");
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, false, false);
            int sw = 0;
            int sh = 0;
            IIOMetadata stream = reader.getStreamMetadata();
            if (stream != null) {
                Node lsd = child(stream.getAsTree(STREAM_FORMAT), "LogicalScreenDescriptor");
                if (lsd != null) {
                    sw = intAttr(lsd, "logicalScreenWidth", 0);
                    sh = intAttr(lsd, "logicalScreenHeight", 0);
                }
            }
            int n = reader.getNumImages(true);
            if (n <= 0) throw new InvalidInputException(file, "contains no frames");
            if (sw <= 0 || sh <= 0) {
                sw = reader.getWidth(0);
                sh = reader.getHeight(0);
            }
            ImageDecoding.checkSize(file, sw, sh);
            int[] canvas = new int[sw * sh];  // ARGB, 0 = transparent
            long delaySum = 0;
            int delayCount = 0;
            int[] row = new int[0];
            for (int i = 0; i < n && !sink.full(); i++) {
                Node img = reader.getImageMetadata(i).getAsTree(IMAGE_FORMAT);
                Node desc = child(img, "ImageDescriptor");
                int left = desc == null ? 0 : intAttr(desc, "imageLeftPosition", 0);
                int top = desc == null ? 0 : intAttr(desc, "imageTopPosition", 0);
                Node gce = child(img, "GraphicControlExtension");
                String disposal = gce == null ? "none" : attr(gce, "disposalMethod", "none");
                int delay = gce == null ? 0 : intAttr(gce, "delayTime", 0);
                // Browsers show delays under 2/100 s as 1/10 s; do the same for the frame rate.
                delaySum += delay < 2 ? 10 : delay;
                delayCount++;
                int[] before = "restoreToPrevious".equals(disposal) ? canvas.clone() : null;
                BufferedImage part = reader.read(i);
                int pw = part.getWidth();
                int ph = part.getHeight();
                if (row.length < pw) row = new int[pw];
                for (int y = 0; y < ph; y++) {
                    int cy = top + y;
                    if (cy < 0 || cy >= sh) continue;
                    part.getRGB(0, y, pw, 1, row, 0, pw);
                    for (int x = 0; x < pw; x++) {
                        int cx = left + x;
                        // GIF transparency is all or nothing: a transparent pixel keeps what is below.
                        if (cx >= 0 && cx < sw && (row[x] >>> 24) != 0) canvas[cy * sw + cx] = row[x];
                    }
                }
                if (sink.wants(i)) {
                    int[] rgb = new int[sw * sh];
                    for (int k = 0; k < rgb.length; k++) {
                        int p = canvas[k];
                        rgb[k] = (p >>> 24) == 0 ? 0 : p & 0xffffff;
                    }
                    sink.add(ImageDecoding.planar(rgb, sw, sh, 0, sw), sh, sw, file);
                }
                if ("restoreToBackgroundColor".equals(disposal)) {
                    // Like browsers: the frame's rectangle becomes transparent (black here), not the background colour.
                    for (int y = Math.max(0, top); y < Math.min(sh, top + ph); y++) {
                        Arrays.fill(canvas, y * sw + Math.max(0, left), y * sw + Math.min(sw, left + pw), 0);
                    }
                } else if (before != null) {
                    canvas = before;
                }
            }
            return delayCount == 0 ? Video.DEFAULT_FPS : 100.0 * delayCount / delaySum;
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(file, "cannot decode GIF: " + ImageDecoding.describe(e), e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Writes a looping animated GIF. The delay is {@code round(100 / fps)} hundredths of a second,
     * at least 2 (browsers slow shorter delays down), so the rate read back is {@code 100 / delay}.
     */
    static void write(Video v, Path out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        int delay = Math.max(2, (int) Math.round(100.0 / v.fps()));
        ImageWriteParam param = writer.getDefaultWriteParam();
        // Not interlaced: ImageIO drops rows of very small interlaced frames.
        param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB);
        IIOMetadata first = frameMetadata(writer, type, param, delay, true);
        IIOMetadata rest = frameMetadata(writer, type, param, delay, false);
        Files.deleteIfExists(out);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out.toFile())) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            for (int t = 0; t < v.frames(); t++) {
                writer.writeToSequence(new IIOImage(Frames.toImage(v, t), null, t == 0 ? first : rest), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadata frameMetadata(ImageWriter writer, ImageTypeSpecifier type, ImageWriteParam param,
                                             int delay, boolean loop) throws IOException {
        IIOMetadata md = writer.getDefaultImageMetadata(type, param);
        IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(IMAGE_FORMAT);
        IIOMetadataNode gce = node(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delay));
        gce.setAttribute("transparentColorIndex", "0");
        if (loop) {
            IIOMetadataNode apps = node(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0});  // sub-block 1: loop count 0 = forever
            apps.appendChild(app);
        }
        md.setFromTree(IMAGE_FORMAT, root);
        return md;
    }

    private static IIOMetadataNode node(IIOMetadataNode root, String name) {
        for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (name.equals(c.getNodeName())) return (IIOMetadataNode) c;
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }

    private static Node child(Node root, String name) {
        for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (name.equals(c.getNodeName())) return c;
        }
        return null;
    }

    private static String attr(Node n, String name, String dflt) {
        Node a = n.getAttributes().getNamedItem(name);
        return a == null ? dflt : a.getNodeValue();
    }

    private static int intAttr(Node n, String name, int dflt) {
        try {
            return Integer.parseInt(attr(n, name, Integer.toString(dflt)));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
