package org.cleanbackup.similar;

import com.drew.metadata.exif.ExifSubIFDDirectory;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cleanbackup.metadata.EmbeddedMetadata;

/** The pixel count of an image from its header, without decoding it: the "most pixels" rule of keep best. */
final class ImageFacts {

    private ImageFacts() {
    }

    /** Width times height, or 0 when the header cannot be read. */
    static long pixels(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in != null) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (readers.hasNext()) {
                    ImageReader reader = readers.next();
                    try {
                        reader.setInput(in, true, true);
                        return (long) reader.getWidth(0) * reader.getHeight(0);
                    } finally {
                        reader.dispose();
                    }
                }
            }
        } catch (Exception e) {
            // fall through to EXIF (HEIC and RAW have no ImageIO reader)
        }
        try {
            var exif = EmbeddedMetadata.read(file).metadata()
                    .map(m -> m.getFirstDirectoryOfType(ExifSubIFDDirectory.class)).orElse(null);
            if (exif != null && exif.containsTag(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH)) {
                return (long) exif.getInt(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH)
                        * exif.getInt(ExifSubIFDDirectory.TAG_EXIF_IMAGE_HEIGHT);
            }
        } catch (Exception | StackOverflowError e) {
            // unknown: ranks last on this rule
        }
        return 0;
    }
}
