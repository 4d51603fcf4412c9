package org.cleanbackup.bench;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cleanbackup.thumbnail.Thumbnails;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Thumbnails per second on one thread (so per core) from the camera JPEGs of the corpus (the 57 files
 * {@link PhashFileBenchmark} hashes), no cache: each operation makes the thumbnail of the next file, end to end (open,
 * header, decode, shrink, EXIF orientation, JPEG encode). Issue 18 asks for at least 200 per second per core.
 * {@code libjpeg-turbo} is phash-native's decoder (DCT-scaled decode, box shrink, orientation and encode in C, one
 * call); {@code java} phash-java's DC-only decoder in colour (pure Java, one pixel per 8 x 8 block; what it declines,
 * here the photos too small for 1/8 scale, progressive and CMYK ones, goes to ImageIO); {@code imageio} the built-in
 * path alone (ImageIO with source subsampling, halving, Java2D). Both Java paths encode with the JDK's encoder.
 *
 * <p>{@code encodeOnly} answers "encode in C, or return RGB and encode in Java?": it is the cost of the JDK's JPEG
 * encoder alone on a thumbnail of {@code maxSide} (a 4:3 picture), which a decoder returning RGB would add to the C
 * decode.
 *
 * <p>Run (from the repository root; {@code -Dcleanbackup.corpus.photos} defaults to ../shared/corpus/photos):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.openjdk.jmh.Main ThumbnailBenchmark -wi 2 -i 3 -w 3s -r 5s -f 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class ThumbnailBenchmark {

    @Param({"libjpeg-turbo", "java", "imageio"})
    public String decoder;

    @Param({"256"})
    public int maxSide;

    private List<Path> files;
    private Thumbnails thumbnails;
    private int next;
    private BufferedImage picture;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        files = PhashFileBenchmark.corpusJpegs();
        thumbnails = Thumbnails.create(null).using(decoder);
        // a real thumbnail's pixels, for encodeOnly
        byte[] jpeg = thumbnails.jpeg(files.get(0), maxSide).orElseThrow();
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        picture = new BufferedImage(maxSide, maxSide * 3 / 4, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.drawImage(decoded, 0, 0, picture.getWidth(), picture.getHeight(), null);
        g.dispose();
    }

    /** One thumbnail of the next corpus file. */
    @Benchmark
    public byte[] thumbnail() {
        Path file = files.get(next);
        next = (next + 1) % files.size();
        return thumbnails.jpeg(file, maxSide).orElseThrow(() -> new IllegalStateException("no thumbnail: " + file));
    }

    /** The JDK's JPEG encoder alone on one thumbnail's pixels, at the quality thumbnails use. */
    @Benchmark
    public byte[] encodeOnly() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.80f);
            writer.write(null, new IIOImage(picture, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
