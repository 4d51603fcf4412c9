package org.cleanbackup.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.model.Problem;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;

/**
 * What the executors compute per file, with the library's own code: the content hasher (XXH3 through
 * {@link ContentHashers}, in libxxhash where it loads), the perceptual hasher ({@link PerceptualHashers#fastest()}:
 * native where the library loads on the executor, else the Vector API or scalar kernel with the Java decoders) and
 * the capture-date reader. Each runs over a whole partition ({@code mapPartitions}) with one buffer per partition and
 * one hasher per executor JVM.
 */
final class FileStages {

    /** As the local finder: the first 4 KiB, and the last 4 KiB of files from 1 MiB. */
    static final int EDGE = 4096;
    static final long TAIL_FROM = 1 << 20;

    /** path, size, mtime, key (hex; null when the file could not be read), problem. */
    static final StructType KEYED = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("size", DataTypes.LongType, false)
            .add("mtime", DataTypes.LongType, false)
            .add("key", DataTypes.StringType, true)
            .add("problem", DataTypes.StringType, true);

    /** path, phash (null when not decoded), pixels, capture_date, problem. */
    static final StructType IMAGE = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("phash", DataTypes.LongType, true)
            .add("pixels", DataTypes.LongType, true)
            .add("capture_date", DataTypes.StringType, true)
            .add("problem", DataTypes.StringType, true);

    private FileStages() {
    }

    /** One per executor JVM: the perceptual hasher holds its decoders and kernels (and their buffers). */
    private static final class PerExecutor {
        static final PerceptualHasher PHASH = PerceptualHashers.fastest();
        static final ContentHasher CONTENT = ContentHashers.defaultHasher();
    }

    /** The name of the content hash ({@code xxh3}). */
    static String algorithm() {
        return PerExecutor.CONTENT.name();
    }

    /** The first and last bytes' key of each file (rows: path, size, mtime). */
    static Iterator<Row> edgeKeys(Iterator<Row> rows, Listing.HadoopConf shipped) {
        Configuration conf = shipped.configuration();
        byte[] buffer = new byte[2 * EDGE];
        HexFormat hex = HexFormat.of();
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String path = r.getString(0);
            long size = r.getLong(1);
            try (FSDataInputStream in = open(path, conf)) {
                int head = (int) Math.min(EDGE, size);
                in.readFully(0, buffer, 0, head);
                int length = head;
                if (size >= TAIL_FROM) {
                    in.readFully(size - EDGE, buffer, head, EDGE);
                    length += EDGE;
                }
                out.add(RowFactory.create(path, size, r.getLong(2),
                        hex.formatHex(PerExecutor.CONTENT.hash(buffer, 0, length)), null));
            } catch (IOException | RuntimeException e) {
                out.add(RowFactory.create(path, size, r.getLong(2), null, problem(path, e)));
            }
        }
        return out.iterator();
    }

    /** The whole-file content hash of each file (rows: path, size, mtime), as {@code xxh3:hex}. */
    static Iterator<Row> contentHashes(Iterator<Row> rows, Listing.HadoopConf shipped) {
        Configuration conf = shipped.configuration();
        byte[] buffer = new byte[1 << 20];
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String path = r.getString(0);
            long size = r.getLong(1);
            try (InputStream in = open(path, conf)) {
                ContentHasher.Digest digest = PerExecutor.CONTENT.newDigest();
                long total = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    total += n;
                }
                if (total != size) {
                    throw new IOException("changed while it was read (size " + size + ", read " + total + ")");
                }
                out.add(RowFactory.create(path, size, r.getLong(2),
                        ContentHash.of(PerExecutor.CONTENT.name(), digest.finish()).toString(), null));
            } catch (IOException | RuntimeException e) {
                out.add(RowFactory.create(path, size, r.getLong(2), null, problem(path, e)));
            }
        }
        return out.iterator();
    }

    /** Perceptual hash, pixels and capture date of each image (rows: path, ...). */
    static Iterator<Row> images(Iterator<Row> rows, Listing.HadoopConf shipped) {
        Configuration conf = shipped.configuration();
        CaptureDates dates = new CaptureDates();
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            String path = rows.next().getString(0);
            java.nio.file.Path copy = null;
            try {
                java.nio.file.Path local = localPath(path);
                if (local == null) { // hdfs, s3a: decoders read local files, so the image is fetched first
                    String name = new Path(path).getName();
                    copy = Files.createTempFile("cleanbackup-spark-", name.substring(Math.max(0, name.lastIndexOf('.'))));
                    try (InputStream in = open(path, conf)) {
                        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                    local = copy;
                }
                Long phash = null;
                String problem = null;
                try {
                    phash = PerExecutor.PHASH.hash(local).bits();
                } catch (IOException | RuntimeException e) {
                    problem = problem(path, e);
                }
                Long pixels = pixels(local);
                String date = null;
                try {
                    CaptureDate d = dates.read(local);
                    date = d.fromFileTime() ? null
                            : d.localTime() + (d.offset() == null ? "" : d.offset().toString());
                } catch (IOException | RuntimeException e) {
                    // no date: the row says so with a null; the file's problem, if any, is the hash's
                }
                out.add(RowFactory.create(path, phash, pixels, date, problem));
            } catch (IOException | RuntimeException e) {
                out.add(RowFactory.create(path, null, null, null, problem(path, e)));
            } finally {
                if (copy != null) {
                    try {
                        Files.deleteIfExists(copy);
                    } catch (IOException ignored) {
                        // a temporary file of ours in the executor's temp folder
                    }
                }
            }
        }
        return out.iterator();
    }

    /** Width times height from the image's header, or null when no reader knows the format. */
    private static Long pixels(java.nio.file.Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return (long) reader.getWidth(0) * reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The local file behind a {@code file:} URI or plain path, else null. */
    static java.nio.file.Path localPath(String path) {
        URI uri = new Path(path).toUri();
        if (uri.getScheme() == null) {
            return java.nio.file.Path.of(uri.getPath());
        }
        return uri.getScheme().equals("file") ? java.nio.file.Path.of(uri) : null;
    }

    private static FSDataInputStream open(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        // a local file is read as it is: the checksummed local file system would look for a .crc beside each file
        return (fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs).open(p);
    }

    /** The one line a problem is, as the local tool words it (without the path: a column of its own). */
    private static String problem(String path, Exception e) {
        return e instanceof IOException io ? Problem.describe(io) : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
