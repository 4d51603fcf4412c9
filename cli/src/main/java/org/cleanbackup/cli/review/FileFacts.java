package org.cleanbackup.cli.review;

import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.metadata.EmbeddedMetadata;

/**
 * What a person decides by, read from one file when its group is first shown: the pixels (from the header only),
 * the format, the capture date and where it came from, and the camera. Each part that cannot be read is left out
 * (null), never an error: the page shows what is known.
 *
 * @param width      pixels across, or 0 when unknown
 * @param height     pixels down, or 0 when unknown
 * @param format     the format, as its reader names it or by the extension
 * @param date       the capture date, local time, or null
 * @param dateSource where the date came from (EXIF DateTimeOriginal, file name, file time, ...), or null
 * @param camera     make and model, or null
 */
record FileFacts(int width, int height, String format, String date, String dateSource, String camera) {

    private static final CaptureDates DATES = new CaptureDates();

    static FileFacts read(Path file) {
        int width = 0;
        int height = 0;
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String format = dot < 0 ? "?" : name.substring(dot + 1).toUpperCase(Locale.ROOT);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers != null && readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                    format = reader.getFormatName().toUpperCase(Locale.ROOT);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not an image ImageIO knows (audio, video): no pixels
        }
        String date = null;
        String dateSource = null;
        try {
            CaptureDate d = DATES.read(file);
            if (d != null) {
                date = d.localTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace('T', ' ');
                dateSource = d.source().label();
            }
        } catch (IOException | RuntimeException e) {
            // unreadable now: the executor's checks meet it again at Apply
        }
        return new FileFacts(width, height, format, date, dateSource, camera(file));
    }

    private static String camera(Path file) {
        try {
            Metadata metadata = EmbeddedMetadata.read(file).metadata().orElse(null);
            ExifIFD0Directory ifd0 = metadata == null ? null : metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (ifd0 == null) {
                return null;
            }
            String make = ifd0.getString(ExifIFD0Directory.TAG_MAKE);
            String model = ifd0.getString(ExifIFD0Directory.TAG_MODEL);
            if (model == null) {
                return make == null ? null : make.trim();
            }
            // most models already start with the make ("Canon EOS 5D"); don't say it twice
            return make == null || model.trim().toLowerCase(Locale.ROOT).startsWith(make.trim().toLowerCase(Locale.ROOT))
                    ? model.trim() : make.trim() + " " + model.trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
