package dev.sightline.embed.image;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.EmbedProblem;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.function.Function;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, GIF, BMP and WebP bytes into the RGB pixels Pillow would produce with
 * {@code ImageOps.exif_transpose(Image.open(...)).convert("RGB")}.
 *
 * <p>Thread-safe. Every failure is an {@link ProblemException}: IMAGE_TOO_LARGE for bytes or header dimensions
 * over the limits, UNSUPPORTED_MEDIA_TYPE for an unknown signature, INVALID_IMAGE for anything corrupt,
 * truncated, undecodable or too small.
 *
 * <p>Known differences from Pillow: lossy WebP goes through TwelveMonkeys' VP8 decoder, not libwebp, so its
 * pixels differ slightly (lossless WebP is exact); EXIF orientation is read from JPEG APP1, PNG eXIf and WebP
 * EXIF chunks, but not from PNG text chunks ("Raw profile type exif") or XMP, which Pillow also consults.
 */
public final class ImageDecoder {

    static {
        // ImageIO discovers plugins through the context class loader, which under Quarkus may not see
        // TwelveMonkeys; register what this class's own loader sees.
        IIORegistry.getDefaultInstance().registerServiceProviders(
                ServiceLoader.load(ImageReaderSpi.class, ImageDecoder.class.getClassLoader()).iterator());
    }

    private ImageDecoder() {
    }

    /** Decodes {@code bytes} within {@code limits}; the header is checked before any pixel is decoded. */
    public static RgbImage decode(byte[] bytes, ImageLimits limits) {
        return decode(bytes, limits, (TurboJpeg) null);
    }

    /** As {@link #decode(byte[], ImageLimits)}, JPEGs through libjpeg-turbo when {@code jpeg} is not null. */
    public static RgbImage decode(byte[] bytes, ImageLimits limits, TurboJpeg jpeg) {
        try (Admission admission = new Admission(limits, null)) {
            return decode(bytes, admission, jpeg);
        }
    }

    /**
     * Decodes {@code bytes} within {@code limits} and {@code budget} and returns what {@code then} makes of the
     * image. The header's width x height is taken from the budget before any pixel is decoded and given back
     * after {@code then} returns or anything fails, so {@code then} should reduce the image (resize, crop) and
     * let the full-size pixels go.
     */
    public static <T> T decode(byte[] bytes, ImageLimits limits, DecodingBudget budget, Function<RgbImage, T> then) {
        return decode(bytes, limits, budget, null, then);
    }

    /** As {@link #decode(byte[], ImageLimits, DecodingBudget, Function)}, JPEGs through libjpeg-turbo when given. */
    public static <T> T decode(byte[] bytes, ImageLimits limits, DecodingBudget budget, TurboJpeg jpeg,
            Function<RgbImage, T> then) {
        try (Admission admission = new Admission(limits, budget)) {
            return then.apply(decode(bytes, admission, jpeg));
        }
    }

    private static RgbImage decode(byte[] bytes, Admission admission, TurboJpeg jpeg) {
        ImageLimits limits = admission.limits;
        if (bytes == null || bytes.length == 0) {
            throw new ProblemException(EmbedProblem.INVALID_IMAGE, "image is empty");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    "image is " + bytes.length + " bytes, the limit is " + limits.maxBytes());
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw new ProblemException(CommonProblem.UNSUPPORTED_MEDIA_TYPE,
                    "not a PNG, JPEG, GIF, BMP or WebP image");
        }
        ImageReader reader = null;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader = reader(format);
            reader.setInput(in, false, true);
            return switch (format) {
                case JPEG -> decodeJpeg(bytes, reader, admission, jpeg);
                case PNG -> decodePng(bytes, reader, admission);
                case GIF -> decodeGif(bytes, reader, admission);
                case BMP -> decodeBmp(bytes, reader, admission);
                case WEBP -> decodeOther(reader, admission, ImageHeaders.webpOrientation(bytes));
            };
        } catch (ProblemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders signal corrupt input with anything from IIOException to IndexOutOfBounds or NPE.
            throw new ProblemException(EmbedProblem.INVALID_IMAGE, "corrupt or undecodable " + format + " image", e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    private static RgbImage decodeJpeg(byte[] bytes, ImageReader reader, Admission admission, TurboJpeg turbo)
            throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        admission.admit(w, h);
        ImageHeaders.Jpeg header = ImageHeaders.jpeg(bytes);
        PixelConverter.JpegColor color = PixelConverter.jpegColor(header);
        if (color == null) {
            throw invalid("JPEG with " + header.components() + " components");
        }
        // libjpeg would pad a truncated scan with grey and only warn; Pillow refuses the file.
        if (!header.hasEoi()) {
            throw invalid("truncated JPEG");
        }
        if (turbo != null && (color == PixelConverter.JpegColor.YCBCR || color == PixelConverter.JpegColor.GRAY
                || color == PixelConverter.JpegColor.RGB)) {
            byte[] rgb = turbo.decodeRgb(bytes, w, h);
            if (rgb != null) {
                return ExifOrientation.apply(new RgbImage(w, h, rgb), header.orientation());
            }
        }
        // readRaster skips the reader's colour conversion and ICC handling, which Pillow does not do either.
        Raster raster = reader.readRaster(0, null);
        checkDecoded(raster.getWidth(), raster.getHeight(), w, h);
        if (raster.getNumBands() != header.components()) {
            throw invalid("JPEG decoded to " + raster.getNumBands() + " bands");
        }
        RgbImage rgb = new RgbImage(w, h, PixelConverter.jpegToRgb(raster, color));
        return ExifOrientation.apply(rgb, header.orientation());
    }

    private static RgbImage decodePng(byte[] bytes, ImageReader reader, Admission admission) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        admission.admit(w, h);
        ImageHeaders.Png header = ImageHeaders.png(bytes);
        if (header.truncatedHeader()) {
            throw invalid("truncated PNG");
        }
        BufferedImage img = reader.read(0, null);
        checkDecoded(img.getWidth(), img.getHeight(), w, h);
        byte[] palette = header.colorType() == 3 ? header.palette() : null;
        boolean clampGray16 = header.colorType() == 0 && header.bitDepth() == 16;
        RgbImage rgb = new RgbImage(w, h, PixelConverter.toRgb(img, palette, clampGray16));
        return ExifOrientation.apply(rgb, header.orientation());
    }

    private static RgbImage decodeGif(byte[] bytes, ImageReader reader, Admission admission) throws IOException {
        ImageHeaders.Gif gif = ImageHeaders.gif(bytes);
        if (gif == null) {
            throw invalid("GIF without an image");
        }
        // The canvas bounds the first frame, so checking it guards the frame's raster too.
        admission.admit(gif.canvasWidth(), gif.canvasHeight());
        int fw = reader.getWidth(0);
        int fh = reader.getHeight(0);
        if (fw != gif.frameWidth() || fh != gif.frameHeight() || fw <= 0 || fh <= 0) {
            throw invalid("GIF frame of " + fw + "x" + fh + " pixels");
        }
        BufferedImage frame = reader.read(0, null);
        checkDecoded(frame.getWidth(), frame.getHeight(), fw, fh);
        // Without any colour table Pillow decodes to mode "L", which the empty palette's grey fallback matches.
        byte[] palette = gif.palette() != null ? gif.palette() : new byte[0];
        byte[] frameRgb = PixelConverter.toRgb(frame, palette, false);
        int cw = gif.canvasWidth();
        int ch = gif.canvasHeight();
        byte[] canvas = new byte[cw * ch * 3];
        if (fw != cw || fh != ch) {
            for (int i = 0; i < canvas.length; i += 3) {
                PixelConverter.paletteRgb(palette, gif.fillIndex(), canvas, i);
            }
        }
        for (int y = 0; y < fh; y++) {
            System.arraycopy(frameRgb, y * fw * 3, canvas, ((gif.frameY() + y) * cw + gif.frameX()) * 3, fw * 3);
        }
        return new RgbImage(cw, ch, canvas);
    }

    private static RgbImage decodeBmp(byte[] bytes, ImageReader reader, Admission admission) throws IOException {
        long compression = ImageHeaders.bmpCompression(bytes);
        // Embedded JPEG/PNG data: Pillow cannot read it, and the JDK reader would size a buffer from the header.
        if (compression == 4 || compression == 5) {
            throw new ProblemException(CommonProblem.UNSUPPORTED_MEDIA_TYPE, "BMP with embedded JPEG or PNG data");
        }
        return decodeOther(reader, admission, ExifOrientation.NORMAL);
    }

    private static RgbImage decodeOther(ImageReader reader, Admission admission, int orientation) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        admission.admit(w, h);
        BufferedImage img = reader.read(0, null);
        checkDecoded(img.getWidth(), img.getHeight(), w, h);
        return ExifOrientation.apply(new RgbImage(w, h, PixelConverter.toRgb(img, null, false)), orientation);
    }

    /**
     * The gate between reading a header and decoding its pixels: the size is checked against the limits and
     * taken from the budget (when there is one) until the admission is closed.
     */
    private static final class Admission implements AutoCloseable {

        private final ImageLimits limits;
        private final DecodingBudget budget;
        private DecodingBudget.Lease lease;

        Admission(ImageLimits limits, DecodingBudget budget) {
            this.limits = limits;
            this.budget = budget;
        }

        void admit(int w, int h) {
            checkSize(w, h, limits);
            if (budget != null) {
                lease = budget.acquire(w, h);
            }
        }

        @Override
        public void close() {
            if (lease != null) {
                lease.close();
            }
        }
    }

    private static void checkSize(int w, int h, ImageLimits limits) {
        if (w <= 0 || h <= 0) {
            throw invalid("image has no pixels (" + w + "x" + h + ")");
        }
        if ((long) w * h > limits.maxPixels()) {
            throw new ProblemException(CommonProblem.PAYLOAD_TOO_LARGE,
                    "image is " + w + "x" + h + " pixels, the limit is " + limits.maxPixels());
        }
        if (Math.min(w, h) < limits.minSide()) {
            throw invalid("image is " + w + "x" + h + ", smaller than " + limits.minSide() + " pixels on a side");
        }
    }

    private static void checkDecoded(int w, int h, int expectedW, int expectedH) {
        if (w != expectedW || h != expectedH) {
            throw invalid("decoded " + w + "x" + h + " pixels, the header says " + expectedW + "x" + expectedH);
        }
    }

    private static ImageReader reader(ImageFormat format) {
        String name = switch (format) {
            case PNG -> "png";
            case JPEG -> "jpeg";
            case GIF -> "gif";
            case BMP -> "bmp";
            case WEBP -> "webp";
        };
        // TwelveMonkeys' JPEG reader copes with more broken files than the JDK's, which it wraps.
        boolean twelveMonkeys = format == ImageFormat.JPEG || format == ImageFormat.WEBP;
        String preferred = twelveMonkeys ? "com.twelvemonkeys." : "com.sun.";
        ImageReader fallback = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(name); it.hasNext(); ) {
            ImageReader candidate = it.next();
            if (candidate.getClass().getName().startsWith(preferred)) {
                if (fallback != null) {
                    fallback.dispose();
                }
                return candidate;
            }
            if (fallback == null) {
                fallback = candidate;
            } else {
                candidate.dispose();
            }
        }
        if (fallback == null) {
            throw new ProblemException(CommonProblem.UNSUPPORTED_MEDIA_TYPE, "no decoder for " + format);
        }
        return fallback;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(EmbedProblem.INVALID_IMAGE, detail);
    }
}
