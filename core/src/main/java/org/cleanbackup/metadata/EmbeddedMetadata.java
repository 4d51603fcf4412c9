package org.cleanbackup.metadata;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the metadata embedded in a media file (EXIF, XMP, IPTC, QuickTime/MP4 atoms, HEIF boxes, PNG and RIFF
 * chunks) with metadata-extractor, after a bounded check of the file's structure.
 *
 * <p>Metadata parsers trust what a file declares: they allocate a box's declared size, pre-size a list from a
 * sample table's entry count, and recurse once per nesting level. A 2 KB file can so ask for gigabytes, or nest
 * 10,000 boxes deep. The check walks the same structure first, reading only headers, and refuses the file when a
 * declaration is beyond what it holds or beyond a bound no real file reaches:
 * <ul>
 *   <li>ISO media (MP4, MOV, 3GP, HEIF/HEIC/AVIF): nesting at most 32 deep; a metadata box at most 64 MiB; every
 *       sample table's entry count times its entry size inside its box;</li>
 *   <li>JPEG: the EXIF block links at most 256 IFDs, at most 16 deep; Extended XMP's declared length within the
 *       file; ICC profiles in at most 255 chunks and 16 MiB; at most 65,536 segments before the image data;</li>
 *   <li>TIFF and TIFF-based RAW files: their IFD graph, as in EXIF;</li>
 *   <li>PNG: every chunk a reader loads inside the file; compressed text and ICC chunks inflate to at most 16 MiB;</li>
 *   <li>RIFF (WebP, AVI, WAV): lists at most 32 deep; no data chunk over 64 MiB past the end of the file.</li>
 * </ul>
 * A file that fails is {@link Result.Refused refused} with a one-line reason: its metadata is not read at all, and
 * callers fall back (a capture date from the file name or time). A damaged file that is safe to parse is left to the
 * reader, whose failure is {@link Result.Unreadable}. Never throws for a file's content; runs in time linear in the
 * number of boxes, segments or chunks.
 *
 * <p>Thread-safe: no state.
 *
 * @since 0.2
 */
public final class EmbeddedMetadata {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMetadata.class);

    private EmbeddedMetadata() {
    }

    /** What reading a file's metadata gave. */
    public sealed interface Result permits Result.Read, Result.Refused, Result.Unreadable {

        /** The metadata, when it was read. */
        default Optional<Metadata> metadata() {
            return this instanceof Read read ? Optional.of(read.value()) : Optional.empty();
        }

        /**
         * The file passed the checks and was read.
         *
         * @param value what metadata-extractor found (possibly with errors it recorded in its directories)
         */
        record Read(Metadata value) implements Result {
            public Read {
                Objects.requireNonNull(value, "value");
            }
        }

        /**
         * The file's structure failed a check; nothing was parsed. The file is damaged or hostile: report it.
         *
         * @param reason one line, without the file name, e.g. {@code "'stts' table claims 2147483648 entries in a
         *               box of 16 bytes"}
         */
        record Refused(String reason) implements Result {
            public Refused {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /**
         * The reader failed: an unknown format, or damage it noticed. Common and harmless (a text file named .jpg,
         * a truncated video): callers fall back quietly.
         *
         * @param reason one line, without the file name
         */
        record Unreadable(String reason) implements Result {
            public Unreadable {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * Checks and reads the metadata of {@code file}.
     *
     * @throws IOException only when the file cannot be opened or read (missing, unreadable, a folder)
     */
    public static Result read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Optional<String> refusal = check(channel);
            if (refusal.isPresent()) {
                return new Result.Refused(refusal.get());
            }
            channel.position(0);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 65536);
            try {
                return new Result.Read(ImageMetadataReader.readMetadata(in, channel.size()));
            } catch (Exception | StackOverflowError e) {
                // metadata-extractor throws many kinds for damaged or unknown data, IOException for a truncated
                // file among them; the structure check bounds what it can allocate, so this is not memory
                LOG.debug("{}: no readable metadata ({})", file, e.toString());
                return new Result.Unreadable(oneLine(e));
            }
        }
    }

    /**
     * Checks the structure of {@code file} without parsing its metadata: empty when it is safe to hand to a parser
     * (or of a format not checked here), else the reason it is not.
     *
     * @throws IOException only when the file cannot be opened or read
     */
    public static Optional<String> checkStructure(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return check(channel);
        }
    }

    private static Optional<String> check(FileChannel channel) throws IOException {
        if (!channel.isOpen() || channel.size() < 8) {
            return Optional.empty();
        }
        ByteSource source = new ByteSource.OfChannel(channel);
        try {
            switch (Format.sniff(source)) {
                case JPEG -> JpegCheck.check(source);
                case ISO_MEDIA -> BoxCheck.check(source);
                case TIFF -> TiffCheck.check(source, "TIFF structure");
                case PNG -> PngChunkCheck.check(source);
                case RIFF -> RiffCheck.check(source);
                case OTHER -> { }
            }
            return Optional.empty();
        } catch (EOFException e) {
            return Optional.empty(); // the file ended inside a header: a truncated file, which the reader reports
        } catch (StructureException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** The structures checked, told apart by their first bytes (never by the file's extension). */
    enum Format {
        JPEG, ISO_MEDIA, TIFF, PNG, RIFF, OTHER;

        static Format sniff(ByteSource s) throws IOException {
            byte[] h = s.bytes(0, (int) Math.min(12, s.length()));
            int b0 = h[0] & 0xFF;
            int b1 = h[1] & 0xFF;
            if (b0 == 0xFF && b1 == 0xD8) {
                return JPEG;
            }
            if (b0 == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
                return PNG;
            }
            if (h[0] == 'R' && h[1] == 'I' && h[2] == 'F' && h[3] == 'F' && h.length >= 12) {
                return RIFF;
            }
            if ((h[0] == 'I' && h[1] == 'I' || h[0] == 'M' && h[1] == 'M')) {
                return TIFF; // TIFF, and the RAW formats built on it (NEF, CR2, ARW, DNG, ORF, RW2)
            }
            String type = new String(h, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (type.equals("ftyp") || type.equals("moov") || type.equals("mdat") || type.equals("wide")
                    || type.equals("free") || type.equals("skip") || type.equals("pnot")) {
                return ISO_MEDIA;
            }
            return OTHER;
        }
    }
}
