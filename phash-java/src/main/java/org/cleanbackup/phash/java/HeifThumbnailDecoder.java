package org.cleanbackup.phash.java;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.metadata.EmbeddedMetadata;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.thumbnail.ThumbnailDecoder;

/**
 * The {@code libheif} thumbnail decoder: HEIC, HEIF and AVIF through the system's libheif (the binding the hash uses,
 * {@code Heif}), in colour, already turned by libheif, subsampled as it is copied out of libheif's buffer; core
 * shrinks and encodes the rest. Declines every other file. Unavailable, with what to install, without libheif.
 *
 * @since 0.1
 */
public final class HeifThumbnailDecoder implements ThumbnailDecoder {

    /** Never throws; libheif is looked for on first use. */
    public HeifThumbnailDecoder() {
    }

    @Override
    public String name() {
        return "libheif";
    }

    @Override
    public int priority() {
        return 150;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Heif.unavailableReason();
    }

    @Override
    public Optional<Decoded> decode(Path file, int maxSide, long maxPixels) throws IOException {
        byte[] head = new byte[32];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (ImageLumaDecoder.sniff(head, n, ImageLumaDecoder.extension(file)) != ImageLumaDecoder.Kind.HEIF) {
            return Optional.empty();
        }
        // the hash's check of the ISO boxes before libheif reads them (sizes, nesting, item counts)
        Optional<String> refusal = EmbeddedMetadata.checkStructure(file);
        if (refusal.isPresent()) {
            throw new ImageDecodeException(file, "refused: " + refusal.get());
        }
        return Optional.of(Heif.decodeRgb(file, maxSide, maxPixels));
    }

    @Override
    public String toString() {
        return "libheif thumbnails (system library)";
    }
}
