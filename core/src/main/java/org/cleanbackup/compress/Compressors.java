package org.cleanbackup.compress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The {@link Compressor}s on the class path, one per file extension. Built in: {@code jpeg} (ImageIO, EXIF, ICC and
 * XMP copied byte for byte), {@code png} (lossless, maximum deflate) and {@code video} (the {@code ffmpeg} binary:
 * H.264 and AAC in MP4).
 */
public final class Compressors {

    private final List<Compressor> all;
    private final Map<String, Compressor> byExtension;

    private Compressors(List<Compressor> all) {
        this.all = List.copyOf(all);
        Map<String, Compressor> map = new LinkedHashMap<>();
        for (Compressor c : all) {
            for (String ext : c.extensions()) {
                Compressor previous = map.putIfAbsent(ext.toLowerCase(Locale.ROOT), c);
                if (previous != null) {
                    // Two providers for one format: picking one silently would make results depend on class-path order.
                    throw new IllegalStateException("two compressors claim ." + ext + ": "
                            + previous.getClass().getName() + " and " + c.getClass().getName());
                }
            }
        }
        this.byExtension = Map.copyOf(map);
    }

    /**
     * Every compressor found with {@link ServiceLoader}.
     *
     * @throws IllegalStateException when two claim the same extension, naming both classes
     */
    public static Compressors load() {
        return new Compressors(ServiceLoader.load(Compressor.class, Compressor.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /** Exactly these compressors (tests, or an application that wants its own set). */
    public static Compressors of(List<? extends Compressor> compressors) {
        return new Compressors(new ArrayList<>(compressors));
    }

    /** All of them, in loading order. */
    public List<Compressor> all() {
        return all;
    }

    /** The compressor for this file name's extension (case-insensitive), if any. */
    public Optional<Compressor> forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(byExtension.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
