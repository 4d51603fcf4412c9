package org.cleanbackup.similar;

import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.cleanbackup.metadata.EmbeddedMetadata;
import org.cleanbackup.model.MediaType;

/**
 * What the keep-best rule knows of an image without decoding its pixels: its size, and how much it looks like the
 * camera's own file rather than an export, an edit or a resized copy.
 *
 * @param pixels       width times height from the header (or EXIF), 0 when unknown
 * @param camera       "Make Model" from IFD0, or null
 * @param shutterDate  whether EXIF DateTimeOriginal is present
 * @param cameraFormat whether the format is one cameras write (JPEG, HEIC/HEIF, camera RAW), not an export format
 * @param editor       the editing program named in the Software tag, or null
 * @param resized      whether the pixel size differs from the one the camera wrote in EXIF (PixelXDimension)
 * @param damaged      whether its metadata is damaged (a directory the reader could not read whole, or a structure
 *                     refused): a copy that lost bytes somewhere, which the camera's file had
 */
record ImageFacts(long pixels, String camera, boolean shutterDate, boolean cameraFormat, String editor,
                  boolean resized, boolean damaged) {

    /** Formats a camera writes itself; PNG, TIFF, WebP, GIF and BMP copies are exports or screenshots. */
    private static final Set<String> CAMERA_FORMATS = Set.of("jpg", "jpeg", "jpe", "heic", "heif", "hif", "avif",
            "raf", "nef", "nrw", "cr2", "cr3", "arw", "srf", "sr2", "dng", "orf", "rw2", "pef", "srw", "x3f");

    /**
     * Programs whose name in the Software tag means the file was edited or exported after the camera. Camera
     * firmware writes its version there ("Ver.1.00", "16.1"): that is not an editor.
     */
    private static final List<String> EDITORS = List.of("photoshop", "lightroom", "adobe", "gimp", "snapseed",
            "picasa", "paint.net", "affinity", "capture one", "darktable", "rawtherapee", "imagemagick",
            "graphicsmagick", "pixelmator", "acdsee", "irfanview", "luminar", "noise ninja", "dxo", "topaz",
            "faststone", "xnview", "photoscape", "fotor", "canva", "photodirector", "photo gallery",
            "windows photo", "microsoft photos", "digikam", "shotwell", "aperture", "iphoto", "photos ");

    /** How much the file looks like the camera's own, 0 to 4: camera metadata, its format, no editor, its size. */
    int originality() {
        return (camera != null && shutterDate ? 1 : 0) + (cameraFormat ? 1 : 0) + (editor == null ? 1 : 0)
                + (resized ? 0 : 1);
    }

    /** Whether it has every mark of a camera original. */
    boolean cameraOriginal() {
        return originality() == 4;
    }

    /** For the report: why this copy was kept. */
    String describe() {
        StringBuilder s = new StringBuilder();
        if (cameraOriginal()) {
            s.append("camera original (").append(camera).append(", DateTimeOriginal)");
        } else {
            s.append(camera != null && shutterDate ? "camera metadata" : "no camera metadata");
            if (editor != null) {
                s.append(", edited with ").append(editor);
            }
            if (resized) {
                s.append(", resized since the camera");
            }
        }
        if (damaged) {
            s.append(", damaged metadata");
        }
        if (pixels > 0) {
            s.append(", ").append(pixels / 1000 / 1000.0).append(" MP");
        }
        return s.toString();
    }

    /** Reads the facts; an unreadable header or metadata leaves the corresponding facts empty, never throws. */
    static ImageFacts of(Path file) {
        long[] size = headerSize(file);
        Metadata metadata = null;
        boolean damaged = false;
        try {
            EmbeddedMetadata.Result result = EmbeddedMetadata.read(file);
            metadata = result.metadata().orElse(null);
            damaged = metadata == null ? !(result instanceof EmbeddedMetadata.Result.Read) : metadata.hasErrors();
        } catch (IOException e) {
            // unreadable now: no metadata facts
        }
        String camera = null;
        String editor = null;
        boolean shutterDate = false;
        boolean resized = false;
        if (metadata != null) {
            ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (ifd0 != null) {
                String make = clean(ifd0.getString(ExifIFD0Directory.TAG_MAKE));
                String model = clean(ifd0.getString(ExifIFD0Directory.TAG_MODEL));
                camera = make == null ? model : model == null ? make
                        : model.toLowerCase(Locale.ROOT).startsWith(make.toLowerCase(Locale.ROOT)) ? model
                        : make + " " + model;
                editor = editor(clean(ifd0.getString(ExifIFD0Directory.TAG_SOFTWARE)));
            }
            ExifSubIFDDirectory exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
            if (exif != null) {
                shutterDate = clean(exif.getString(ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL)) != null;
                Integer w = exif.getInteger(ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH);
                Integer h = exif.getInteger(ExifSubIFDDirectory.TAG_EXIF_IMAGE_HEIGHT);
                if (w != null && h != null && w > 0 && h > 0) {
                    if (size == null) {
                        size = new long[] {w, h};
                    } else {
                        resized = !(size[0] == w && size[1] == h || size[0] == h && size[1] == w);
                    }
                }
            }
        }
        return new ImageFacts(size == null ? 0 : size[0] * size[1], camera, shutterDate, cameraFormat(file), editor,
                resized, damaged);
    }

    /** Whether the file's name says a format cameras write: the one fact that comes from the name, not the bytes. */
    static boolean cameraFormat(Path file) {
        return CAMERA_FORMATS.contains(MediaType.extensionOf(file.getFileName().toString()));
    }

    private static String editor(String software) {
        if (software == null) {
            return null;
        }
        String lower = software.toLowerCase(Locale.ROOT) + " ";
        Optional<String> known = EDITORS.stream().filter(lower::contains).findFirst();
        return known.isPresent() ? software : null;
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replace('\0', ' ').strip();
        return t.isEmpty() || t.startsWith("0000") ? null : t;
    }

    /** Width and height from the image header, or null (HEIC and RAW have no ImageIO reader here). */
    private static long[] headerSize(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in != null) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (readers.hasNext()) {
                    ImageReader reader = readers.next();
                    try {
                        reader.setInput(in, true, true);
                        return new long[] {reader.getWidth(0), reader.getHeight(0)};
                    } finally {
                        reader.dispose();
                    }
                }
            }
        } catch (Exception e) {
            // no size from the header
        }
        return null;
    }
}
