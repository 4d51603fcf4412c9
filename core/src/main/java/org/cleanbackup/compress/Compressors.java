package org.cleanbackup.compress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The {@link Compressor}s on the class path, one per file extension. Built in: {@code jpeg} (ImageIO, EXIF, ICC and
 * XMP copied byte for byte), {@code png} (lossless, maximum deflate) and {@code video} (the {@code ffmpeg} binary:
 * H.264 and AAC in MP4). {@code phash-native} adds a {@code jpeg} compressor on libjpeg-turbo, which is preferred
 * (higher {@link Compressor#priority()}) when its native library loaded and passed its self-test.
 */
public final class Compressors {

    /*
     * Choosing among claimants of one extension asks unavailableReason() only when there is a choice to make, so a
     * single claimant (ffmpeg's video compressor) is not probed at load time. An unavailable compressor is used only
     * when no claimant is available: it then reports why its files are skipped.
     */

    private final List<Compressor> all;
    private final Map<String, Compressor> byExtension;

    private Compressors(List<Compressor> all) {
        this.all = List.copyOf(all);
        Map<String, List<Compressor>> claims = new LinkedHashMap<>();
        for (Compressor c : all) {
            for (String ext : c.extensions()) {
                claims.computeIfAbsent(ext.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, Compressor> map = new LinkedHashMap<>();
        claims.forEach((ext, claimants) -> map.put(ext, choose(ext, claimants)));
        this.byExtension = Map.copyOf(map);
    }

    private static Compressor choose(String ext, List<Compressor> claimants) {
        if (claimants.size() == 1) {
            return claimants.getFirst();
        }
        List<Compressor> available = claimants.stream().filter(c -> c.unavailableReason().isEmpty()).toList();
        List<Compressor> ranked = new ArrayList<>(available.isEmpty() ? claimants : available);
        ranked.sort(Comparator.comparingInt(Compressor::priority).reversed());
        Compressor first = ranked.get(0);
        Compressor second = ranked.get(1 < ranked.size() ? 1 : 0);
        if (second != first && second.priority() == first.priority()) {
            // Two equal providers for one format: picking one silently would make results depend on class-path order.
            throw new IllegalStateException("two compressors claim ." + ext + " with the same priority "
                    + first.priority() + ": " + first.getClass().getName() + " and " + second.getClass().getName());
        }
        return first;
    }

    /**
     * Every compressor found with {@link ServiceLoader}, the preferred one chosen for each extension.
     *
     * @throws IllegalStateException when two available compressors claim the same extension with the same priority,
     *                               naming both classes
     */
    public static Compressors load() {
        return new Compressors(ServiceLoader.load(Compressor.class, Compressor.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /** Exactly these compressors (tests, or an application that wants its own set). */
    static Compressors of(List<? extends Compressor> compressors) {
        return new Compressors(new ArrayList<>(compressors));
    }

    /** All of them, in loading order (including those not chosen for any extension). */
    List<Compressor> all() {
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
