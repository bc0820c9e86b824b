package org.dualmtgan.media;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.dualmtgan.InvalidInputException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Video containers through FFmpeg (JavaCV): decoding MP4/MOV/AVI/WebM/MKV, encoding MP4 (H.264) and AVI (MJPEG). */
final class FfmpegCodec {
    private static volatile boolean quiet;

    private FfmpegCodec() {}

    /** FFmpeg logs every demuxer complaint to stderr; errors reach the user through exceptions instead. */
    private static void silenceLog() {
        if (!quiet) {
            avutil.av_log_set_level(avutil.AV_LOG_QUIET);
            quiet = true;
        }
    }

    /** Decodes the video stream of {@code file} into {@code sink}; returns the stream's frame rate. */
    static double read(Path file, FrameCollector sink) {
        silenceLog();
        int index = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                String why = ffmpegMessage(e);
                if (why.contains("Did not find a video or audio stream")) {
                    throw new InvalidInputException(file, "contains no video frames (no video stream)", e);
                }
                throw new InvalidInputException(file, "not a readable video (corrupt, truncated or unsupported): " + why, e);
            }
            int w = grabber.getImageWidth();
            int h = grabber.getImageHeight();
            if (w <= 0 || h <= 0) throw new InvalidInputException(file, "has no video stream");
            ImageDecoding.checkSize(file, w, h);
            double fps = grabber.getFrameRate();
            int announced = grabber.getLengthInVideoFrames();
            boolean bgr = grabber.getPixelFormat() == avutil.AV_PIX_FMT_BGR24;
            Frame frame;
            while (!sink.full()) {
                try {
                    frame = grabber.grabImage();
                } catch (FrameGrabber.Exception e) {
                    throw new InvalidInputException(file, "corrupt video data after frame " + index + ": "
                            + ffmpegMessage(e), e);
                }
                if (frame == null) break;
                if (frame.image == null) continue;
                if (sink.wants(index)) {
                    // Frame.imageChannels is derived from the padded stride (48 px BGR24: 192 / 48 = 4),
                    // so trust the pixel format asked of FFmpeg instead.
                    if (bgr && frame.imageDepth == Frame.DEPTH_UBYTE && frame.imageStride >= 3 * frame.imageWidth
                            && frame.image[0] instanceof ByteBuffer buf) {
                        sink.add(planarBgr(buf, frame.imageWidth, frame.imageHeight, frame.imageStride),
                                frame.imageHeight, frame.imageWidth, file);
                    } else {
                        BufferedImage img = converter.convert(frame);
                        sink.add(planar(img), img.getHeight(), img.getWidth(), file);
                    }
                }
                index++;
            }
            if (index == 0) throw new InvalidInputException(file, "contains no video frames");
            // A cut file whose index is at the front decodes up to the cut without any error: compare
            // with the length the container announces (exact for MP4, estimated for others, hence the margin).
            if (!sink.full() && announced > 2 && index < announced / 2) {
                throw new InvalidInputException(file, "truncated or corrupt: the container announces " + announced
                        + " frames, only " + index + " could be decoded");
            }
            return fps;
        } catch (FrameGrabber.Exception e) {
            throw new InvalidInputException(file, "cannot read video: " + ffmpegMessage(e), e);
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException(file, "cannot decode video: " + ImageDecoding.describe(e), e);
        }
    }

    /** JavaCV's message without its advice to enable FFmpeg's log. */
    static String ffmpegMessage(Exception e) {
        String m = ImageDecoding.describe(e);
        int advice = m.indexOf(" (For more details");
        return advice > 0 ? m.substring(0, advice) : m;
    }

    /**
     * BGR24 rows of {@code stride} bytes into planar floats. Read directly, not through
     * Java2DFrameConverter: FFmpeg pads rows to an aligned length (48 px: 192 bytes, not 144), JavaCV
     * then reports 4 channels, and the converter scrambles the frame.
     */
    static float[] planarBgr(ByteBuffer buf, int w, int h, int stride) {
        int plane = h * w;
        float[] out = new float[3 * plane];
        byte[] row = new byte[3 * w];
        for (int y = 0; y < h; y++) {
            buf.get(y * stride, row, 0, 3 * w);
            int o = y * w;
            for (int x = 0, j = 0; x < w; x++, j += 3) {
                out[o + x] = (row[j + 2] & 0xff) * (1f / 255f);
                out[plane + o + x] = (row[j + 1] & 0xff) * (1f / 255f);
                out[2 * plane + o + x] = (row[j] & 0xff) * (1f / 255f);
            }
        }
        return out;
    }

    private static float[] planar(BufferedImage img) {
        return ImageDecoding.planar(ImageDecoding.toRgb(img), img.getWidth(), img.getHeight(), 0, img.getWidth());
    }

    /**
     * Encodes {@code v} into {@code out} (a temporary file, so the container is named explicitly).
     * 4:2:0 chroma needs even sizes: an odd last row or column is repeated once (edge padding), so the
     * file can be one pixel taller or wider than the video.
     */
    static void write(Video v, Path out, boolean mp4) throws IOException {
        silenceLog();
        int w = v.width() + (v.width() & 1);
        int h = v.height() + (v.height() & 1);
        double fps = v.fps();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
            if (mp4) {
                rec.setFormat("mp4");
                rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                // This FFmpeg build encodes H.264 with OpenH264, which takes a bit rate, not a quality
                // factor: about 2 bits per pixel keeps small frames close to lossless.
                rec.setVideoBitrate((int) Math.min(50_000_000L, Math.max(400_000L, (long) (2.0 * w * h * fps))));
                rec.setGopSize(Math.max(1, (int) Math.round(fps)));
            } else {
                rec.setFormat("avi");
                rec.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
                rec.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
                rec.setVideoQuality(2); // MJPEG quantiser scale: 2 is near the best quality
            }
            rec.setFrameRate(fps);
            rec.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            float[] d = v.data();
            int vh = v.height();
            int vw = v.width();
            int plane = vh * vw;
            for (int t = 0; t < v.frames(); t++) {
                int base = t * 3 * plane;
                for (int y = 0; y < h; y++) {
                    int sy = Math.min(y, vh - 1);
                    int row = y * stride;
                    for (int x = 0; x < w; x++) {
                        int i = base + sy * vw + Math.min(x, vw - 1);
                        int o = row + 3 * x;
                        buf.put(o, (byte) Frames.to8(d[i + 2 * plane]));  // BGR24
                        buf.put(o + 1, (byte) Frames.to8(d[i + plane]));
                        buf.put(o + 2, (byte) Frames.to8(d[i]));
                    }
                }
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("video encoding failed: " + ffmpegMessage(e), e);
        }
    }
}
