package dev.sightline.embed.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Fixture access and small image builders shared by the image tests. */
final class TestImages {

    /** Limits that let every fixture and every hand-made image through. */
    static final ImageLimits LENIENT = new ImageLimits(50_000_000, 50_000_000, 1);

    private TestImages() {
    }

    /** The repository root: the {@code sightline.root} property, else the nearest parent with models/fixtures. */
    static Path root() {
        String property = System.getProperty("sightline.root");
        if (property != null && Files.isDirectory(Path.of(property, "models", "fixtures"))) {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("models").resolve("fixtures"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no models/fixtures above " + Path.of("").toAbsolutePath());
    }

    static Path parityDir() {
        return root().resolve("models/fixtures/parity");
    }

    static JsonNode parity() {
        try {
            return new ObjectMapper().readTree(parityDir().resolve("parity.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file under the parity fixture, e.g. {@code images/wide.png}. */
    static byte[] fixture(String relative) {
        try {
            return Files.readAllBytes(parityDir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw RGB bytes of an 8-bit RGB PNG, read from the raster so that nothing is converted. */
    static byte[] rawRgbOfPng(byte[] png) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            Raster r = img.getRaster();
            if (r.getNumBands() != 3 || r.getSampleModel().getSampleSize(0) != 8) {
                throw new IllegalStateException("reference crop is not 8-bit RGB");
            }
            int[] samples = r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
            byte[] out = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                out[i] = (byte) samples[i];
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG with the given IHDR fields and unfiltered rows; {@code extra} chunks go between IHDR and IDAT. */
    static byte[] png(int width, int height, int bitDepth, int colorType, byte[][] rows, byte[]... extra) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (byte[] row : rows) {
            raw.write(0);
            raw.writeBytes(row);
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw.toByteArray());
        deflater.finish();
        byte[] buf = new byte[raw.size() + 1024];
        int n = deflater.deflate(buf);
        deflater.end();
        byte[] idat = java.util.Arrays.copyOf(buf, n);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = (byte) bitDepth;
        ihdr[9] = (byte) colorType;
        out.writeBytes(chunk("IHDR", ihdr));
        for (byte[] c : extra) {
            out.writeBytes(c);
        }
        out.writeBytes(chunk("IDAT", idat));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** One PNG chunk with its length and CRC. */
    static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        putInt(out, 0, data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, 4 + data.length);
        putInt(out, 8 + data.length, (int) crc.getValue());
        return out;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }
}
