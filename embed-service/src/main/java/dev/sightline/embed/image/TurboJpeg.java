package dev.sightline.embed.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * libjpeg-turbo's SIMD JPEG decoder, through the TurboJPEG Java binding that Debian packages
 * ({@code libturbojpeg-java}: {@code /usr/share/java/turbojpeg.jar}, its JNI in {@code libturbojpeg.so.0}).
 *
 * <p>The binding is not on Maven Central, so it is loaded at run time from the system's jar, in a class loader of its
 * own that resolves the native library to (a private copy of) the versioned file ({@code TJLoader} asks for the
 * unversioned {@code libturbojpeg.so}, which only the -dev package installs). Pillow decodes with the same library and the same
 * settings (accurate integer IDCT, fancy upsampling), so the pixels are the ones Pillow gets — the parity tests hold
 * that byte for byte. Thread-safe: each decode has its own native handle.
 */
public final class TurboJpeg {

    /** TJ.PF_RGB, TJ.CS_RGB / CS_YCbCr / CS_GRAY, TJ.FLAG_ACCURATEDCT, TJ.FLAG_LIMITSCANS (TurboJPEG 2.1). */
    private static final int PF_RGB = 0;
    private static final int CS_RGB = 0;
    private static final int CS_YCBCR = 1;
    private static final int CS_GRAY = 2;
    private static final int FLAG_ACCURATEDCT = 4096;
    /** Refuse progressive files of more than 500 scans: a few KB of them can otherwise cost minutes of CPU. */
    private static final int FLAG_LIMITSCANS = 32768;

    private static final Map<List<Path>, TurboJpeg> LOADED = new HashMap<>();

    private final MethodHandle open;
    private final MethodHandle colorspace;
    private final MethodHandle widthOf;
    private final MethodHandle heightOf;
    private final MethodHandle decompress;
    private final MethodHandle close;
    private final Path jar;

    private TurboJpeg(Class<?> decompressor, Path jar) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        this.open = lookup.findConstructor(decompressor, MethodType.methodType(void.class, byte[].class));
        this.colorspace = lookup.findVirtual(decompressor, "getColorspace", MethodType.methodType(int.class));
        this.widthOf = lookup.findVirtual(decompressor, "getWidth", MethodType.methodType(int.class));
        this.heightOf = lookup.findVirtual(decompressor, "getHeight", MethodType.methodType(int.class));
        this.decompress = lookup.findVirtual(decompressor, "decompress", MethodType.methodType(void.class, byte[].class,
                int.class, int.class, int.class, int.class, int.class, int.class, int.class));
        this.close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class));
        this.jar = jar;
    }

    /**
     * Loads the binding from {@code jar} and its JNI library from {@code library}, and proves it by decoding a JPEG.
     *
     * @throws IllegalStateException when either is missing or does not work, saying which
     */
    public static TurboJpeg load(Path jar, Path library) {
        // One binding per (jar, library) for this class: each load makes a class loader and a copy of the library.
        synchronized (LOADED) {
            TurboJpeg turbo = LOADED.get(List.of(jar, library));
            if (turbo == null) {
                turbo = open(jar, library);
                LOADED.put(List.of(jar, library), turbo);
            }
            return turbo;
        }
    }

    private static TurboJpeg open(Path jar, Path library) {
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(library)) {
            throw new IllegalStateException("TurboJPEG not installed (" + (Files.isRegularFile(jar) ? library : jar)
                    + " missing; on Debian: apt-get install libturbojpeg-java)");
        }
        try {
            Loader loader = new Loader(jar.toUri().toURL(), library);
            TurboJpeg turbo = new TurboJpeg(Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader), jar);
            byte[] rgb = turbo.decodeRgb(probe(), 8, 8);
            if (rgb == null || rgb.length != 8 * 8 * 3) {
                throw new IllegalStateException("TurboJPEG did not decode its probe image");
            }
            return turbo;
        } catch (ReflectiveOperationException | MalformedURLException | LinkageError e) {
            throw new IllegalStateException("TurboJPEG at " + jar + " / " + library + " is unusable: " + e, e);
        }
    }

    /** Where the binding was loaded from. */
    public Path jar() {
        return jar;
    }

    /**
     * Decodes a JPEG of the given header size to packed RGB, or returns null when its colour space is one this decoder
     * leaves to the JDK path (CMYK and YCCK, whose Pillow conversion differs from libjpeg's).
     *
     * @throws IllegalArgumentException when libjpeg-turbo refuses the data (corrupt, or over the scan limit)
     */
    public byte[] decodeRgb(byte[] jpeg, int width, int height) {
        Object d = null;
        try {
            d = open.invoke(jpeg);
            int cs = (int) colorspace.invoke(d);
            if (cs != CS_YCBCR && cs != CS_GRAY && cs != CS_RGB) {
                return null;
            }
            // TurboJPEG would scale a larger image down to fit the buffer; the header read before must be the truth.
            int w = (int) widthOf.invoke(d);
            int h = (int) heightOf.invoke(d);
            if (w != width || h != height) {
                throw new IllegalArgumentException("libjpeg-turbo reads " + w + "x" + h + ", the header said " + width
                        + "x" + height);
            }
            byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
            decompress.invoke(d, rgb, 0, 0, width, width * 3, height, PF_RGB, FLAG_ACCURATEDCT | FLAG_LIMITSCANS);
            return rgb;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            // TJException (an IOException): corrupt data, unsupported features, too many scans.
            throw new IllegalArgumentException("libjpeg-turbo: " + e.getMessage(), e);
        } finally {
            if (d != null) {
                try {
                    close.invoke(d);
                } catch (Throwable ignored) {
                    // Closing only frees the native handle; nothing to recover.
                }
            }
        }
    }

    /** The binding's own class loader: the JNI library is the versioned file given, not a java.library.path lookup. */
    private static final class Loader extends URLClassLoader {
        private final Path library;

        Loader(URL jar, Path library) {
            super(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
            this.library = library;
        }

        @Override
        protected String findLibrary(String name) {
            if (!"turbojpeg".equals(name)) {
                return null;
            }
            // The JVM binds a library file to one class loader. Where one process has several copies of this class
            // (Quarkus tests beside plain ones), each loads its own copy of the file.
            try {
                Path copy = Files.createTempFile("sightline-turbojpeg", ".so");
                copy.toFile().deleteOnExit();
                Files.copy(library, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return copy.toString();
            } catch (java.io.IOException e) {
                return library.toAbsolutePath().toString();
            }
        }
    }

    /** A small JPEG made by the JDK's encoder, decoded once at load to prove the native library works. */
    private static byte[] probe() {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
                    "jpg", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
