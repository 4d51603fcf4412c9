package org.cleanbackup.thumbnail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cleanbackup.internal.DecodeMemory;
import org.cleanbackup.internal.JpegHeader;
import org.cleanbackup.metadata.EmbeddedMetadata;
import org.cleanbackup.phash.Orientation;

/**
 * The built-in last resort: whatever ImageIO reads here (JPEG, PNG, GIF, BMP in the JDK; WebP and TIFF when the
 * TwelveMonkeys plugins are on the class path, as they are with phash-java), read with source subsampling so the
 * decoded picture is about one to two times the thumbnail, not the whole image.
 *
 * <p>Bounded like the hash's ImageIO path: the size comes from the reader's header before any pixel is read (above
 * {@code maxPixels}: refused), and the subsampled picture's bytes are reserved from {@link DecodeMemory} while it is
 * decoded. For a JPEG the EXIF orientation comes from {@link JpegHeader} (ImageIO ignores it); other formats are
 * taken as stored. A reader's warning that the file is cut short (the JDK's JPEG reader fills the rest with gray)
 * refuses it.
 */
final class ImageIoDecoder implements ThumbnailDecoder {

    /** The EXIF APP1 segment comes first in camera files and is at most 64 KiB. */
    private static final int HEADER_BYTES = 128 * 1024;

    @Override
    public String name() {
        return "imageio";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Optional<Decoded> decode(Path file, int maxSide, long maxPixels) throws IOException {
        // The hash's check of a file's structure (JPEG segments, EXIF IFDs, PNG and RIFF chunks, ISO boxes) before
        // any parser allocates from what the file declares.
        Optional<String> refusal = EmbeddedMetadata.checkStructure(file);
        if (refusal.isPresent()) {
            throw new IOException(file + ": refused: " + refusal.get());
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("cannot open " + file);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w * h > maxPixels) {
                    throw new IOException(file + ": image claims " + w + " x " + h + " pixels, above the limit of "
                            + maxPixels);
                }
                // Subsample by the whole factor that keeps the longer side at or above twice maxSide: what is read
                // is then 2 to 4 times the thumbnail, which JpegFinish halves by averaging (point samples taken
                // straight to the thumbnail's size alias: fine lines and noise turn into speckle).
                int step = (int) Math.max(1, Math.max(w, h) / (2L * maxSide));
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                // TwelveMonkeys' TIFF and WebP readers decode whole and then subsample, so they hold the whole image
                // (phash-java's ImageLumaDecoder measured it); the JDK's readers subsample row by row.
                boolean whole = format.startsWith("tif") || format.equals("webp");
                long sw = whole ? w : (w + step - 1) / step;
                long sh = whole ? h : (h + step - 1) / step;
                long bytes = sw * sh * 4 * 2; // the decoded raster and, for some readers, a converted copy
                if (!DecodeMemory.fits(bytes)) {
                    throw new IOException(file + ": needs " + DecodeMemory.mib(bytes) + " to decode");
                }
                // The JDK's JPEG reader reports a cut-short file as a warning and fills the rest with gray: that is
                // not the picture (the hash's ImageIO path draws the same line; other warnings are harmless).
                String[] truncated = new String[1];
                reader.addIIOReadWarningListener((source, message) -> {
                    String lower = message.toLowerCase(Locale.ROOT);
                    if (lower.contains("premature end") || lower.contains("truncat")) {
                        truncated[0] = message;
                    }
                });
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage image;
                try (DecodeMemory.Lease lease = DecodeMemory.reserve(bytes)) {
                    image = reader.read(0, param);
                }
                if (truncated[0] != null) {
                    throw new IOException(file + ": truncated image: " + truncated[0]);
                }
                Orientation orientation = format.contains("jp") ? jpegOrientation(file) : Orientation.NORMAL;
                return Optional.of(new Pixels(image, orientation, (int) w, (int) h));
            } finally {
                reader.dispose();
            }
        }
    }

    static Orientation jpegOrientation(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEADER_BYTES);
        }
        return Orientation.fromExif(JpegHeader.read(JpegHeader.of(head, head.length)).exifOrientation());
    }

    @Override
    public String toString() {
        return "imageio (Java)";
    }
}
