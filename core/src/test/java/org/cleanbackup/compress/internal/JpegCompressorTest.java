package org.cleanbackup.compress.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.CompressionLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JpegCompressorTest {

    @TempDir
    Path dir;

    private final JpegCompressor jpeg = new JpegCompressor();

    /** What must survive compression, as metadata-extractor reads it. */
    private record Kept(String dateTimeOriginal, GeoLocation gps, String iccDescription, Integer iccSize,
                        boolean xmp, Integer orientation) {

        static Kept of(Path file) throws Exception {
            Metadata m = ImageMetadataReader.readMetadata(file.toFile());
            ExifSubIFDDirectory sub = m.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
            GpsDirectory gps = m.getFirstDirectoryOfType(GpsDirectory.class);
            IccDirectory icc = m.getFirstDirectoryOfType(IccDirectory.class);
            ExifIFD0Directory ifd0 = m.getFirstDirectoryOfType(ExifIFD0Directory.class);
            return new Kept(sub == null ? null : sub.getString(ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL),
                    gps == null ? null : gps.getGeoLocation(),
                    icc == null ? null : icc.getDescription(IccDirectory.TAG_TAG_desc),
                    icc == null ? null : icc.getInteger(IccDirectory.TAG_PROFILE_BYTE_COUNT),
                    m.getFirstDirectoryOfType(XmpDirectory.class) != null,
                    ifd0 == null ? null : ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION));
        }
    }

    @ParameterizedTest(name = "level {0}: smaller, DateTimeOriginal, GPS, ICC and XMP kept")
    @EnumSource(CompressionLevel.class)
    void eachLevelMakesACameraJpegSmallerAndKeepsItsMetadata(CompressionLevel level) throws Exception {
        Path original = dir.resolve("camera.jpg");
        Files.write(original, MediaFixtures.cameraJpegAtQuality100(640, 480));
        Kept before = Kept.of(original);
        assertThat(before.dateTimeOriginal()).as("the fixture carries a capture date").isNotBlank();
        assertThat(before.gps()).as("the fixture carries GPS").isNotNull();
        assertThat(before.iccSize()).as("the fixture carries an ICC profile").isNotNull();

        Path out = dir.resolve("out.part");
        jpeg.compress(original, out, level);

        assertThat(Files.size(out)).isLessThan(Files.size(original));
        assertThat(Kept.of(out)).isEqualTo(before);
        assertThat(javax.imageio.ImageIO.read(out.toFile())).extracting(i -> i.getWidth() + "x" + i.getHeight())
                .isEqualTo("640x480");
    }

    @Test
    void higherLevelsGiveSmallerFiles() throws Exception {
        Path original = dir.resolve("camera.jpg");
        Files.write(original, MediaFixtures.cameraJpegAtQuality100(640, 480));
        Map<CompressionLevel, Long> sizes = new EnumMap<>(CompressionLevel.class);
        for (CompressionLevel level : CompressionLevel.values()) {
            Path out = dir.resolve("level" + level.number() + ".part");
            jpeg.compress(original, out, level);
            sizes.put(level, Files.size(out));
        }
        assertThat(sizes.get(CompressionLevel.HIGH)).isGreaterThan(sizes.get(CompressionLevel.BALANCED));
        assertThat(sizes.get(CompressionLevel.BALANCED)).isGreaterThan(sizes.get(CompressionLevel.SMALL));
    }

    @Test
    void metadataSegmentsAreCopiedByteForByte() throws Exception {
        byte[] original = MediaFixtures.cameraJpegAtQuality100(320, 240);
        byte[] result = JpegCompressor.encode(original, CompressionLevel.BALANCED);
        assertThat(segments(result)).isEqualTo(segments(original));
    }

    /** The APPn and COM segments' bytes, in order. */
    private static List<String> segments(byte[] file) throws CompressionException {
        JpegSegments header = JpegSegments.parse(file);
        List<String> out = new ArrayList<>();
        for (JpegSegments.Segment s : header.metadataToKeep(file)) {
            out.add(Integer.toHexString(s.marker()) + ":" + Arrays.hashCode(
                    Arrays.copyOfRange(file, s.offset(), s.offset() + s.length())));
        }
        return out;
    }

    @Test
    void keepsTheOriginalsChromaSubsampling() throws Exception {
        byte[] original = MediaFixtures.cameraJpegAtQuality100(320, 240); // ImageIO writes 4:2:0
        byte[] result = JpegCompressor.encode(original, CompressionLevel.SMALL);
        assertThat(JpegSegments.parse(result).samplingFactors()).containsExactly(
                JpegSegments.parse(original).samplingFactors());
    }

    @Test
    void aTruncatedJpegIsReportedAsDamagedAndNothingIsWritten() throws Exception {
        byte[] whole = MediaFixtures.cameraJpegAtQuality100(320, 240);
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
        Path out = dir.resolve("out.part");
        assertThatThrownBy(() -> jpeg.compress(cut, out, CompressionLevel.BALANCED))
                .isInstanceOfSatisfying(CompressionException.class, e -> assertThat(e.isUnsupported()).isFalse())
                .hasMessageStartingWith("damaged");
        assertThat(out).doesNotExist();
    }

    @Test
    void notAJpegAtAll() throws IOException {
        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "these are not pixels");
        assertThatThrownBy(() -> jpeg.compress(text, dir.resolve("out.part"), CompressionLevel.BALANCED))
                .isInstanceOf(CompressionException.class).hasMessageContaining("not a JPEG");
    }

    @Test
    void cmykJpegsAreLeftAloneAsUnsupported() throws Exception {
        Path cmyk = MediaFixtures.CORPUS.resolve("photos/Multiple ICC segments.jpg");
        assumeTrue(Files.exists(cmyk), "needs the shared corpus (absent on a user's clone): " + cmyk);
        assertThatThrownBy(() -> jpeg.compress(cmyk, dir.resolve("out.part"), CompressionLevel.BALANCED))
                .isInstanceOfSatisfying(CompressionException.class, e -> assertThat(e.isUnsupported()).isTrue())
                .hasMessageContaining("CMYK");
    }

    @Test
    void aJpegStoredAsRgbByItsComponentIdsIsLeftAloneAsUnsupported() throws Exception {
        // libjpeg reads a 3-component file without JFIF or Adobe segment whose components are named 'R', 'G', 'B' as
        // RGB; re-encoding those samples as YCbCr would change every colour.
        byte[] ycc = MediaFixtures.jpeg(MediaFixtures.photoLike(64, 48, 1), 0.9f);
        JpegSegments header = JpegSegments.parse(ycc);
        java.io.ByteArrayOutputStream rgb = new java.io.ByteArrayOutputStream();
        rgb.write(ycc, 0, 2);
        for (JpegSegments.Segment s : header.segments()) {
            if (s.marker() == JpegSegments.APP0) {
                continue; // drop JFIF
            }
            byte[] seg = Arrays.copyOfRange(ycc, s.offset(), s.offset() + s.length());
            if (s.marker() == 0xC0) {
                for (int c = 0; c < 3; c++) {
                    seg[10 + 3 * c] = (byte) "RGB".charAt(c);
                }
            } else if (s.marker() == org.cleanbackup.internal.JpegHeader.SOS) {
                for (int c = 0; c < 3; c++) {
                    seg[5 + 2 * c] = (byte) "RGB".charAt(c);
                }
            }
            rgb.write(seg);
        }
        JpegSegments.Segment sos = header.segments().getLast();
        rgb.write(ycc, sos.offset() + sos.length(), ycc.length - sos.offset() - sos.length());
        byte[] file = rgb.toByteArray();
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(file))).as("still a readable JPEG")
                .isNotNull();

        assertThatThrownBy(() -> JpegCompressor.encode(file, CompressionLevel.BALANCED))
                .isInstanceOfSatisfying(CompressionException.class, e -> assertThat(e.isUnsupported()).isTrue())
                .hasMessageContaining("RGB-coded");
        assertThat(JpegCompressor.encode(ycc, CompressionLevel.BALANCED)).as("the same file with JFIF is fine")
                .isNotEmpty();
    }

    @ParameterizedTest(name = "corpus, level {0}: every result kept carries the original's date, GPS and ICC")
    @EnumSource(CompressionLevel.class)
    void corpusPhotosKeepTheirMetadataAtEveryLevel(CompressionLevel level) throws Exception {
        Path photos = MediaFixtures.CORPUS.resolve("photos");
        assumeTrue(Files.isDirectory(photos), "needs the shared corpus (absent on a user's clone): " + photos);
        long before = 0;
        long after = 0;
        int withAll = 0;
        List<Path> files;
        try (Stream<Path> list = Files.list(photos)) {
            files = list.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted().toList();
        }
        for (Path photo : files) {
            Path out = dir.resolve(photo.getFileName() + ".part");
            try {
                jpeg.compress(photo, out, level);
            } catch (CompressionException e) {
                continue; // CMYK and damaged files: their own tests cover them
            }
            long size = Files.size(photo);
            long compressed = Files.size(out);
            before += size;
            after += Math.min(size, compressed); // the planner keeps the original when it is not smaller
            Kept original = Kept.of(photo);
            assertThat(Kept.of(out)).as(photo.getFileName().toString()).isEqualTo(original);
            if (compressed < size && original.dateTimeOriginal() != null && original.gps() != null
                    && original.iccSize() != null) {
                withAll++;
            }
        }
        assertThat(after).as("the corpus as a whole gets smaller").isLessThan(before);
        if (level != CompressionLevel.HIGH) {
            // At quality 95 the camera files that carry all three are already smaller than a re-encoding.
            assertThat(withAll).as("files with date, GPS and ICC that got smaller").isPositive();
        }
    }
}
