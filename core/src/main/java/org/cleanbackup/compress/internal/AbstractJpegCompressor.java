package org.cleanbackup.compress.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.cleanbackup.compress.CompressionLevel;
import org.cleanbackup.compress.Compressor;
import org.cleanbackup.model.MediaType;

/**
 * What every {@code jpeg} compressor is, whatever encodes its pixels: the image compressor named {@code "jpeg"} for
 * {@link JpegRecompression#EXTENSIONS}, which compresses through {@link JpegRecompression} (the same refusals, the
 * same metadata carried over, the same read-back check). A subclass gives only the encoder. Not API: public so that
 * the libjpeg-turbo compressor of {@code phash-native} is the same compressor as the ImageIO one here.
 */
public abstract class AbstractJpegCompressor implements Compressor {

    /** For subclasses. */
    protected AbstractJpegCompressor() {
    }

    @Override
    public final String name() {
        return "jpeg";
    }

    @Override
    public final MediaType mediaType() {
        return MediaType.IMAGE;
    }

    @Override
    public final Set<String> extensions() {
        return JpegRecompression.EXTENSIONS;
    }

    @Override
    public final void compress(Path source, Path target, CompressionLevel level) throws IOException {
        JpegRecompression.compress(source, target, level, this::encodePixels);
    }

    /** This compressor's encoder: see {@link JpegRecompression.PixelEncoder#encode}. */
    protected abstract byte[] encodePixels(byte[] original, int[] samplingFactors, int quality) throws IOException;
}
